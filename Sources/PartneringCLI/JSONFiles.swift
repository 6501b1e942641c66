import FileSupport
import Foundation
import PartneringCore

/// Reading and writing the JSON files of the command line, with errors that say
/// which file and which path inside it is wrong, and atomic writes.
enum JSONFiles {
    static func read<Value: Decodable>(_ type: Value.Type, from path: String) throws -> Value {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure.badInput("\(path): no such file or not readable")
        }
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch let error as DecodingError {
            throw CommandFailure.badInput("\(path): \(DocumentIssue(decoding: error))")
        }
    }

    /// Writes `value` as pretty JSON to a temporary file beside `path`, then renames it.
    static func write(_ value: some Encodable, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        try writeAtomically(data + Data("\n".utf8), to: path)
    }

    static func writeAtomically(_ data: Data, to path: String) throws {
        do {
            try AtomicFile.write(data, to: path)
        } catch {
            throw CommandFailure.failed(error.description)
        }
    }
}
