/// A minimal PNG writer for black-and-white images: 1 bit per pixel, grey scale, image
/// data in zlib "stored" (uncompressed) deflate blocks. A ticket QR code at 8 pixels per
/// module is about 20 kB, small enough for an e-mail, with no compression library.
/// Ticket QR codes and the sample images of mail previews are written here.
public enum PNGWriter {
    /// The PNG file of an image `width` pixels wide whose pixel `(x, y)` is black when
    /// `isBlack(x, y)`.
    public static func blackAndWhite(width: Int, height: Int, isBlack: (Int, Int) -> Bool) -> [UInt8] {
        blackAndWhite(width: width, packedRows: (0..<height).map { y in packedRow(width: width) { isBlack($0, y) } })
    }

    /// One row of pixels packed as PNG stores it at 1 bit per pixel: the leftmost pixel is
    /// the high bit, and 1 is white.
    public static func packedRow(width: Int, isBlack: (Int) -> Bool) -> [UInt8] {
        var row = [UInt8](repeating: 0, count: (width + 7) / 8)
        for x in 0..<width where !isBlack(x) { row[x / 8] |= 0x80 >> UInt8(x % 8) }
        return row
    }

    /// The PNG file of an image `width` pixels wide made of rows from ``packedRow(width:isBlack:)``.
    public static func blackAndWhite(width: Int, packedRows: [[UInt8]]) -> [UInt8] {
        let rowBytes = (width + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * packedRows.count)
        for row in packedRows {
            raw.append(0)  // filter type: none
            raw.append(contentsOf: row)
        }
        var header: [UInt8] = []
        header += bigEndian32(UInt32(width))
        header += bigEndian32(UInt32(packedRows.count))
        header += [1, 0, 0, 0, 0]  // bit depth 1, grey scale, deflate, adaptive filter, no interlace
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        file += chunk("IHDR", header)
        file += chunk("IDAT", zlibStored(raw))
        file += chunk("IEND", [])
        return file
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian32(UInt32(data.count)) + typeAndData + bigEndian32(Checksums.crc32(typeAndData))
    }

    /// A zlib stream (RFC 1950) of deflate stored blocks (RFC 1951 §3.2.4), at most
    /// 65535 bytes each.
    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]  // deflate, 32 KiB window, no dictionary
        var offset = 0
        repeat {
            let length = min(65535, data.count - offset)
            let isLast: UInt8 = offset + length == data.count ? 1 : 0
            stream.append(isLast)  // BFINAL bit, BTYPE 00 (stored)
            stream += [UInt8(length & 0xFF), UInt8(length >> 8)]
            stream += [UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            stream += data[offset..<offset + length]
            offset += length
        } while offset < data.count
        return stream + bigEndian32(Checksums.adler32(data))
    }

    private static func bigEndian32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

/// The two checksums of PNG files.
public enum Checksums {
    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// CRC-32 as PNG and zip use it (reflected polynomial 0xEDB88320).
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// Adler-32 (RFC 1950). The sums are reduced every 5,552 bytes, the most that cannot
    /// overflow 32 bits, rather than at every byte.
    public static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + 5552)
            for index in start..<end {
                a &+= UInt32(bytes[index])
                b &+= a
            }
            a %= 65521
            b %= 65521
            start = end
        }
        return b << 16 | a
    }
}
