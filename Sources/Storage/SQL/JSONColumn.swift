import Foundation

/// Arrays stored as JSON text in a column.
enum JSONColumn {
    static func encode<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding arrays of strings cannot fail; an empty array keeps the column valid regardless.
        guard let data = try? encoder.encode(value) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode<Value: Decodable>(
        _ type: Value.Type, from text: String, table: String, column: String
    ) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StorageError.corruptValue(table: table, column: column, value: text)
        }
    }
}
