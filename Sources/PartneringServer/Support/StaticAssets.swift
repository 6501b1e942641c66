import Foundation
import Hummingbird
import Registration

/// Scripts and style sheets served as files, read once at start. Pages load their scripts
/// from the site only (the content security policy allows no inline script), so every
/// script a page runs is one of these.
struct StaticAssets: Sendable {
    private let files: [String: (contentType: String, body: String)]

    /// Reads `names` from `directory`; a file that is missing is answered 404 when asked for.
    init(directory: String, names: [String]) {
        var files: [String: (contentType: String, body: String)] = [:]
        for name in names {
            if let body = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) {
                files[name] = (Self.contentType(of: name), body)
            }
        }
        self.files = files
    }

    /// The file `name` as an answer; revalidated on each use (`no-cache`) so that an upgrade
    /// reaches browsers at once.
    func response(_ name: String?) throws -> Response {
        guard let name, let file = files[name] else { throw Refusal.notFound }
        return Response(
            status: .ok, headers: [.contentType: file.contentType, .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: file.body)))
    }

    private static func contentType(of name: String) -> String {
        name.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"
    }
}
