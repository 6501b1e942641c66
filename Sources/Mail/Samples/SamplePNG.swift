import Foundation

/// A small grayscale PNG drawn in code: a pattern that looks like a QR code (three finder
/// squares and pseudo-random modules) for previews and benchmarks of the ticket message.
/// It encodes nothing; real tickets come from the Tickets target.
public enum SamplePNG {
    /// The sample ticket image: 25 modules plus a quiet zone, 4 pixels per module.
    public static let ticket: Data = encodeBlackAndWhite(
        width: 132, height: 132, dark: qrLikePattern(modules: 25, quietZone: 4, scale: 4))

    /// Encodes black and white pixels (row by row, `true` is black) as a 1-bit grayscale
    /// PNG with stored deflate blocks: valid for every reader, no compression library needed.
    public static func encodeBlackAndWhite(width: Int, height: Int, dark: [Bool]) -> Data {
        precondition(dark.count == width * height, "one value per pixel")
        let rowBytes = (width + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * height)
        for row in 0..<height {
            raw.append(0)  // filter type None
            for byteIndex in 0..<rowBytes {
                var byte: UInt8 = 0
                for bit in 0..<8 {
                    let x = byteIndex * 8 + bit
                    // In 1-bit grayscale a set bit is white.
                    if x >= width || !dark[row * width + x] { byte |= 0x80 >> UInt8(bit) }
                }
                raw.append(byte)
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        header += [1, 0, 0, 0, 0]  // 1 bit, grayscale, deflate, adaptive filtering, no interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", zlibStored(raw), to: &png)
        appendChunk("IEND", [], to: &png)
        return Data(png)
    }

    private static func qrLikePattern(modules: Int, quietZone: Int, scale: Int) -> [Bool] {
        var dark = [[Bool]](repeating: [Bool](repeating: false, count: modules), count: modules)
        var state: UInt32 = 0x2545_F491
        for row in 0..<modules {
            for column in 0..<modules {
                state = state &* 1_664_525 &+ 1_013_904_223
                dark[row][column] = state >> 31 == 1
            }
        }
        for (top, left) in [(0, 0), (0, modules - 7), (modules - 7, 0)] {
            for row in -1...7 {
                for column in -1...7 {
                    let y = top + row
                    let x = left + column
                    guard (0..<modules).contains(y), (0..<modules).contains(x) else { continue }
                    let ring = max(abs(row - 3), abs(column - 3))
                    dark[y][x] = ring != 2 && ring != 4
                }
            }
        }
        let side = (modules + 2 * quietZone) * scale
        var pixels = [Bool](repeating: false, count: side * side)
        for y in 0..<side {
            for x in 0..<side {
                let row = y / scale - quietZone
                let column = x / scale - quietZone
                if (0..<modules).contains(row), (0..<modules).contains(column), dark[row][column] {
                    pixels[y * side + x] = true
                }
            }
        }
        return pixels
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        png += bigEndian(UInt32(data.count))
        png += typeBytes
        png += data
        png += bigEndian(crc32(typeBytes + data))
    }

    /// A zlib stream (RFC 1950) of uncompressed deflate blocks (RFC 1951 section 3.2.4).
    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + 65_535, data.count)
            let length = UInt16(end - start)
            output.append(end == data.count ? 1 : 0)
            output += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            output += data[start..<end]
            start = end
        } while start < data.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        output += bigEndian(b << 16 | a)
        return output
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
