import Foundation

/// POSIX `ustar` archives of regular files, in memory: what `partnering backup` writes, so
/// that an operator can also look inside with `tar tvf`. Only what the product needs: regular
/// files with relative paths of at most 100 bytes, their mode and modification time.
public enum TarArchive {
    /// One file of an archive.
    public struct Entry: Sendable, Hashable {
        /// The relative path, `/`-separated, without `..`.
        public var path: String
        public var mode: UInt32
        public var modified: Date
        public var contents: [UInt8]

        public init(path: String, mode: UInt32 = 0o600, modified: Date = Date(), contents: [UInt8]) {
            self.path = path
            self.mode = mode
            self.modified = modified
            self.contents = contents
        }
    }

    /// Why bytes are not an archive this reader accepts.
    public struct FormatError: Error, CustomStringConvertible, Sendable, Equatable {
        public var reason: String
        public var description: String { reason }

        public init(reason: String) { self.reason = reason }
    }

    private static let blockSize = 512

    /// The archive of `entries`, in order, ended by two zero blocks.
    /// - Throws: ``FormatError`` for a path that is empty, absolute, longer than 100 bytes or
    ///   with a `..` component.
    public static func write(_ entries: [Entry]) throws(FormatError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.reduce(2 * blockSize) { $0 + blockSize + padded($1.contents.count) })
        for entry in entries {
            try checkPath(entry.path)
            guard entry.contents.count < 1 << 33 else {
                throw FormatError(reason: "\(entry.path): larger than a ustar entry holds (8 GiB)")
            }
            var header = [UInt8](repeating: 0, count: blockSize)
            put(Array(entry.path.utf8), at: 0, in: &header)
            put(octal(Int(entry.mode & 0o7777), width: 8), at: 100, in: &header)
            put(octal(0, width: 8), at: 108, in: &header)
            put(octal(0, width: 8), at: 116, in: &header)
            put(octal(entry.contents.count, width: 12), at: 124, in: &header)
            put(octal(max(0, Int(entry.modified.timeIntervalSince1970)), width: 12), at: 136, in: &header)
            header[156] = UInt8(ascii: "0")
            put(Array("ustar\u{0}00".utf8), at: 257, in: &header)
            put(Array(repeating: UInt8(ascii: " "), count: 8), at: 148, in: &header)
            let sum = header.reduce(0) { $0 + Int($1) }
            put(octal(sum, width: 7) + [UInt8(ascii: " ")], at: 148, in: &header)
            bytes += header
            bytes += entry.contents
            bytes += [UInt8](repeating: 0, count: padded(entry.contents.count) - entry.contents.count)
        }
        bytes += [UInt8](repeating: 0, count: 2 * blockSize)
        return bytes
    }

    /// The entries of an archive, in order.
    /// - Throws: ``FormatError`` naming the first defect: not a `ustar` header, a wrong header
    ///   checksum, an entry cut short, something else than a regular file, an unsafe path.
    public static func read(_ bytes: [UInt8]) throws(FormatError) -> [Entry] {
        var entries: [Entry] = []
        var offset = 0
        while true {
            guard offset + blockSize <= bytes.count else {
                throw FormatError(reason: "the archive ends without its end marker (cut short?)")
            }
            let header = Array(bytes[offset..<offset + blockSize])
            if header.allSatisfy({ $0 == 0 }) { return entries }
            guard Array(header[257..<262]) == Array("ustar".utf8) else {
                throw FormatError(reason: "not a ustar archive (no ustar header at byte \(offset))")
            }
            var unsigned = header
            for index in 148..<156 { unsigned[index] = UInt8(ascii: " ") }
            guard let recorded = number(header[148..<156]), recorded == unsigned.reduce(0, { $0 + Int($1) }) else {
                throw FormatError(reason: "damaged header at byte \(offset) (checksum mismatch)")
            }
            let path = text(header[0..<100])
            guard header[156] == UInt8(ascii: "0") || header[156] == 0 else {
                throw FormatError(reason: "\(path): not a regular file")
            }
            try checkPath(path)
            guard let size = number(header[124..<136]), let mode = number(header[100..<108]),
                let modified = number(header[136..<148])
            else { throw FormatError(reason: "\(path): unreadable size, mode or time in its header") }
            let start = offset + blockSize
            guard size <= bytes.count - start else { throw FormatError(reason: "\(path): cut short") }
            entries.append(
                Entry(
                    path: path, mode: UInt32(mode & 0o7777),
                    modified: Date(timeIntervalSince1970: TimeInterval(modified)),
                    contents: Array(bytes[start..<start + size])))
            offset = start + padded(size)
        }
    }

    private static func checkPath(_ path: String) throws(FormatError) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, !path.hasPrefix("/"), path.utf8.count <= 100, !path.utf8.contains(0),
            !parts.contains(where: { $0.isEmpty || $0 == ".." || $0 == "." })
        else { throw FormatError(reason: "unsafe or too long path \"\(path)\"") }
    }

    private static func padded(_ count: Int) -> Int { (count + blockSize - 1) / blockSize * blockSize }

    private static func put(_ field: [UInt8], at offset: Int, in header: inout [UInt8]) {
        header.replaceSubrange(offset..<offset + field.count, with: field)
    }

    /// `value` as zero-padded octal digits ending with NUL, `width` bytes in all.
    private static func octal(_ value: Int, width: Int) -> [UInt8] {
        let digits = String(value, radix: 8)
        return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
    }

    /// An octal number field (digits, then NUL or spaces); `nil` when it holds anything else.
    private static func number(_ field: ArraySlice<UInt8>) -> Int? {
        let digits = field.drop { $0 == UInt8(ascii: " ") }.prefix { $0 != 0 && $0 != UInt8(ascii: " ") }
        guard !digits.isEmpty, digits.count <= 11, digits.allSatisfy({ (48...55).contains($0) }) else { return nil }
        return digits.reduce(0) { $0 * 8 + Int($1 - 48) }
    }

    private static func text(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }
}
