/// Base45 (RFC 9285): bytes as text made only of the 45 characters of the QR code
/// alphanumeric mode, so that a QR code can carry the text at 5.5 bits per character.
///
/// Every two bytes `[a, b]` become the number `n = a * 256 + b`, written as three
/// characters `c, d, e` with `n = c + d * 45 + e * 45 * 45`; a last single byte `a`
/// becomes two characters `c, d` with `a = c + d * 45`.
public enum Base45 {
    /// The alphabet: the character at index `i` has the value `i`.
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)

    private static let values: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }()

    /// Why a text is not Base45.
    public enum DecodingError: Error, Equatable, CustomStringConvertible {
        /// The character at this offset is outside the 45-character alphabet.
        case invalidCharacter(offset: Int)
        /// The length leaves one lone character at the end (a length of the form 3k + 1).
        case invalidLength(Int)
        /// The group of characters starting at this offset stands for a value too large
        /// for its bytes (above 65535 for three characters, above 255 for two).
        case valueOutOfRange(offset: Int)

        public var description: String {
            switch self {
            case .invalidCharacter(let offset):
                "character \(offset + 1) is not one of the 45 Base45 characters"
            case .invalidLength(let length):
                "a Base45 text cannot have \(length) characters (3k + 1 is impossible)"
            case .valueOutOfRange(let offset):
                "the characters from position \(offset + 1) encode a value out of range"
            }
        }
    }

    /// The number of characters that encode `byteCount` bytes.
    public static func encodedLength(ofByteCount byteCount: Int) -> Int {
        byteCount / 2 * 3 + byteCount % 2 * 2
    }

    /// The Base45 text of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(encodedLength(ofByteCount: input.count))
        var index = 0
        while index + 1 < input.count {
            var value = Int(input[index]) << 8 | Int(input[index + 1])
            for _ in 0..<3 {
                output.append(alphabet[value % 45])
                value /= 45
            }
            index += 2
        }
        if index < input.count {
            let value = Int(input[index])
            output.append(alphabet[value % 45])
            output.append(alphabet[value / 45])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of a Base45 text. The alphabet is upper case only, as RFC 9285 says.
    public static func decode(_ text: some StringProtocol) throws(DecodingError) -> [UInt8] {
        let input = Array(text.utf8)
        guard input.count % 3 != 1 else { throw .invalidLength(input.count) }
        var digits: [Int] = []
        digits.reserveCapacity(input.count)
        for (offset, character) in input.enumerated() {
            guard let value = values[Int(character)] else { throw .invalidCharacter(offset: offset) }
            digits.append(Int(value))
        }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 3 * 2 + 1)
        var index = 0
        while index + 2 < digits.count {
            let value = digits[index] + digits[index + 1] * 45 + digits[index + 2] * 45 * 45
            guard value <= 0xFFFF else { throw .valueOutOfRange(offset: index) }
            output.append(UInt8(value >> 8))
            output.append(UInt8(value & 0xFF))
            index += 3
        }
        if index < digits.count {
            let value = digits[index] + digits[index + 1] * 45
            guard value <= 0xFF else { throw .valueOutOfRange(offset: index) }
            output.append(UInt8(value))
        }
        return output
    }
}
