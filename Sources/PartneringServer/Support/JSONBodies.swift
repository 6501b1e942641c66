import Foundation
import Hummingbird
import PartneringCore

extension Request {
    /// The request's JSON body (at most `limit` bytes) decoded as `Body`; an unreadable body
    /// is ``RequestRefusal/malformedBody(_:)`` saying where it is wrong (``DocumentIssue``),
    /// a larger one the 413 that ``RefusalMiddleware`` answers.
    func decodeJSON<Body: Decodable>(
        _ type: Body.Type, limit: Int, decoder: JSONDecoder = JSONDecoder()
    ) async throws -> Body {
        var request = self
        let buffer = try await request.collectBody(upTo: limit)
        do {
            return try decoder.decode(Body.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw RequestRefusal.malformedBody(DocumentIssue(decoding: error).description)
        } catch {
            throw RequestRefusal.malformedBody("expected a JSON object")
        }
    }
}

extension JSONEncoder {
    /// How every JSON answer of the service is written: keys sorted (stable bytes for
    /// clients and tests), slashes as they are, dates in ISO 8601 (RFC 3339, UTC).
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension Response {
    /// `value` as `application/json` (UTF-8), written by `encoder` (``JSONEncoder/api`` unless
    /// told), with `extraHeaders`.
    static func json(
        _ value: some Encodable, encoder: JSONEncoder = .api, status: HTTPResponse.Status = .ok,
        extraHeaders: HTTPFields = [:]
    ) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        headers.append(contentsOf: extraHeaders)
        return Response(
            status: status, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(data: try encoder.encode(value))))
    }
}
