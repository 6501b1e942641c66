import CQREncode
import Foundation

/// The modules of a QR code: `true` is dark. Made by libqrencode, drawn by the PNG and
/// SVG writers of this target.
public struct QRMatrix: Sendable, Hashable {
    /// Modules per side (21 for version 1, 41 for version 6).
    public let size: Int
    /// The QR version (1...40).
    public let version: Int
    /// Row after row, `size * size` modules.
    public let modules: [Bool]

    /// Whether the module in column `x`, row `y` is dark.
    public subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// Why a text could not become a QR code.
    public struct EncodingError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The smallest QR code at error correction level M that holds `text` in alphanumeric
    /// mode, one segment. Only the 45 characters of that mode are allowed: digits,
    /// upper-case letters, space and `$%*+-./:`, which is exactly a ticket's alphabet.
    public init(alphanumeric text: String) throws(EncodingError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ Base45.alphabet.contains($0) }) else {
            throw EncodingError(
                description: "a QR alphanumeric text is non-empty, of 0-9, A-Z, space and $%*+-./:")
        }
        guard let input = QRinput_new2(0, QR_ECLEVEL_M) else {
            throw EncodingError(description: "libqrencode could not allocate its input")
        }
        defer { QRinput_free(input) }
        guard QRinput_append(input, QR_MODE_AN, Int32(bytes.count), bytes) == 0,
            let code = QRcode_encodeInput(input)
        else {
            throw EncodingError(
                description:
                    "libqrencode refused the text (\(bytes.count) characters): \(String(cString: strerror(errno)))"
            )
        }
        defer { QRcode_free(code) }
        let size = Int(code.pointee.width)
        // libqrencode marks a dark module by the lowest bit of each byte.
        let buffer = UnsafeBufferPointer(start: code.pointee.data, count: size * size)
        self.size = size
        self.version = Int(code.pointee.version)
        self.modules = buffer.map { $0 & 1 == 1 }
    }
}
