import Hummingbird

/// A rendered HTML page as a response.
struct HTMLResponse: ResponseGenerator {
    var html: String
    var status: HTTPResponse.Status = .ok
    var extraHeaders: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
