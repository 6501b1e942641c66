import Foundation

/// One value bound to or read from an SQLite statement, in SQLite's five storage classes.
enum SQLiteValue: Sendable, Equatable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null
}

/// Turns the values SQLKit binds into ``SQLiteValue``s, stored as the store always stored
/// them (so files written before keep reading the same): numbers and text as themselves,
/// `Bool` as 0 or 1, `Date` as seconds since 1970 (`REAL`), `UUID` as its text, `Data` as
/// a blob, `nil` as `NULL`, a raw-value enum as its raw value, anything else as JSON text.
struct SQLiteValueEncoder: Sendable {
    func encode(_ value: any Encodable) throws -> SQLiteValue {
        switch value {
        case let optional as any EncodableOptional:
            guard let wrapped = optional.wrappedEncodable else { return .null }
            return try encode(wrapped)
        case let text as String: return .text(text)
        case let flag as Bool: return .integer(flag ? 1 : 0)
        case let number as Double: return .real(number)
        case let number as Float: return .real(Double(number))
        case let integer as any BinaryInteger:
            guard let exact = Int64(exactly: integer) else {
                throw EncodingError.invalidValue(
                    value, .init(codingPath: [], debugDescription: "\(integer) does not fit a 64-bit SQLite integer"))
            }
            return .integer(exact)
        case let date as Date: return .real(date.timeIntervalSince1970)
        case let uuid as UUID: return .text(uuid.uuidString)
        case let data as Data: return .blob(Array(data))
        case let raw as any RawRepresentable:
            if let rawValue = raw.rawValue as? any Encodable { return try encode(rawValue) }
            return try json(value)
        default:
            return try json(value)
        }
    }

    private func json(_ value: any Encodable) throws -> SQLiteValue {
        .text(String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
    }
}

/// Reads ``SQLiteValue``s back as the types the repositories and Fluent ask for: the
/// inverse of ``SQLiteValueEncoder``, accepting an integer where a `Double` or `Date` is
/// asked (SQLite returns whole reals as integers in columns without a type).
struct SQLiteValueDecoder: Sendable {
    func decode<Value: Decodable>(_ type: Value.Type, from value: SQLiteValue) throws -> Value {
        if let optional = type as? any DecodableOptional.Type {
            return try cast(optional.decode(value, with: self), for: value)
        }
        switch (type, value) {
        case (is String.Type, .text(let text)): return try cast(text, for: value)
        case (is String.Type, .integer(let integer)): return try cast(String(integer), for: value)
        case (is String.Type, .real(let number)): return try cast(String(number), for: value)
        case (is Bool.Type, .integer(let integer)) where integer == 0 || integer == 1:
            return try cast(integer == 1, for: value)
        case (is Double.Type, .real(let number)): return try cast(number, for: value)
        case (is Double.Type, .integer(let integer)): return try cast(Double(integer), for: value)
        case (is Float.Type, .real(let number)): return try cast(Float(number), for: value)
        case (is Float.Type, .integer(let integer)): return try cast(Float(integer), for: value)
        case (let integerType as any FixedWidthInteger.Type, .integer(let integer)):
            guard let exact = Self.integer(integerType, from: integer) else { throw mismatch(type, value) }
            return try cast(exact, for: value)
        case (is Date.Type, .real(let seconds)): return try cast(Date(timeIntervalSince1970: seconds), for: value)
        case (is Date.Type, .integer(let seconds)):
            return try cast(Date(timeIntervalSince1970: Double(seconds)), for: value)
        case (is UUID.Type, .text(let text)):
            guard let uuid = UUID(uuidString: text) else { throw mismatch(type, value) }
            return try cast(uuid, for: value)
        case (is Data.Type, .blob(let bytes)): return try cast(Data(bytes), for: value)
        case (let rawType as any (RawRepresentable & Decodable).Type, _):
            return try cast(Self.raw(rawType, from: value, with: self), for: value)
        case (_, .text(let text)):
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        case (_, .blob(let bytes)):
            return try JSONDecoder().decode(type, from: Data(bytes))
        default:
            throw mismatch(type, value)
        }
    }

    private static func integer<Integer: FixedWidthInteger>(_ type: Integer.Type, from value: Int64) -> Integer? {
        Integer(exactly: value)
    }

    private static func raw<Raw: RawRepresentable & Decodable>(
        _ type: Raw.Type, from value: SQLiteValue, with decoder: SQLiteValueDecoder
    ) throws -> Raw {
        guard let rawType = Raw.RawValue.self as? any Decodable.Type,
            let rawValue = try decoder.decode(rawType, from: value) as? Raw.RawValue,
            let decoded = Raw(rawValue: rawValue)
        else { throw decoder.mismatch(type, value) }
        return decoded
    }

    private func cast<Value>(_ decoded: Any, for value: SQLiteValue) throws -> Value {
        guard let typed = decoded as? Value else { throw mismatch(Value.self, value) }
        return typed
    }

    private func mismatch(_ type: Any.Type, _ value: SQLiteValue) -> DecodingError {
        .typeMismatch(type, .init(codingPath: [], debugDescription: "cannot read SQLite value \(value) as \(type)"))
    }
}

/// `Optional` of an encodable value, seen through an existential.
private protocol EncodableOptional {
    var wrappedEncodable: (any Encodable)? { get }
}

extension Optional: EncodableOptional where Wrapped: Encodable {
    fileprivate var wrappedEncodable: (any Encodable)? { self }
}

/// `Optional` of a decodable value: `NULL` reads as `nil`.
private protocol DecodableOptional {
    static func decode(_ value: SQLiteValue, with decoder: SQLiteValueDecoder) throws -> Self
}

extension Optional: DecodableOptional where Wrapped: Decodable {
    fileprivate static func decode(_ value: SQLiteValue, with decoder: SQLiteValueDecoder) throws -> Self {
        value == .null ? nil : try decoder.decode(Wrapped.self, from: value)
    }
}
