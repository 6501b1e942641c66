import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body, in order; a name may
/// repeat (checkboxes).
struct FormData: Sendable {
    private(set) var fields: [(name: String, value: String)]

    init(fields: [(name: String, value: String)]) { self.fields = fields }

    init(encoded text: String) {
        fields = text.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first.flatMap({ Self.decode($0) }), !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? Self.decode(parts[1]) ?? "" : "")
        }
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The largest form body accepted.
    static let maximumSize = 256 * 1024

    /// Reads the form of a request (collecting the body, so middleware and handler both can).
    static func read(_ request: inout Request) async throws -> FormData {
        let buffer = try await request.collectBody(upTo: maximumSize)
        return FormData(encoded: String(buffer: buffer))
    }

    /// The first value of `name`, or "".
    subscript(name: String) -> String { fields.first { $0.name == name }?.value ?? "" }

    /// Every value of `name`.
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// Whether a checkbox `name` was ticked.
    func isChecked(_ name: String) -> Bool { fields.contains { $0.name == name && !$0.value.isEmpty } }
}
