import FileSupport
import Foundation
import Testing

@Suite("ustar archives")
struct TarArchiveTests {
    @Test("entries come back as written, and the system's tar lists them")
    func roundTrip() throws {
        let entries = [
            TarArchive.Entry(
                path: "manifest.json", mode: 0o600, modified: Date(timeIntervalSince1970: 1_780_000_000),
                contents: Array("{}".utf8)),
            TarArchive.Entry(
                path: "keys/public/k1.pem", mode: 0o644, modified: Date(timeIntervalSince1970: 1_780_000_001),
                contents: (0..<1_300).map { UInt8($0 % 251) }),
            TarArchive.Entry(path: "empty", mode: 0o600, modified: Date(timeIntervalSince1970: 0), contents: []),
        ]
        let bytes = try TarArchive.write(entries)
        #expect(bytes.count % 512 == 0)
        #expect(try TarArchive.read(bytes) == entries)

        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/a.tar"))
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["tf", folder + "/a.tar"]
        let output = Pipe()
        tar.standardOutput = output
        try tar.run()
        let listed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        #expect(listed == "manifest.json\nkeys/public/k1.pem\nempty\n")
    }

    @Test("unsafe paths are refused when writing and when reading")
    func unsafePaths() throws {
        for path in ["/etc/passwd", "../up", "keys/../../up", "", "a//b", String(repeating: "x", count: 101)] {
            #expect(throws: TarArchive.FormatError.self) {
                try TarArchive.write([TarArchive.Entry(path: path, contents: [1])])
            }
        }
        var bytes = try TarArchive.write([TarArchive.Entry(path: "ab/cd", contents: [1])])
        // Rewrite the name into "../cd" with a correct checksum: still refused.
        bytes.replaceSubrange(0..<5, with: Array("../cd".utf8))
        for index in 148..<156 { bytes[index] = UInt8(ascii: " ") }
        let sum = bytes[0..<512].reduce(0) { $0 + Int($1) }
        let digits = Array(String(sum, radix: 8).utf8)
        let field = Array(repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits + [0, UInt8(ascii: " ")]
        bytes.replaceSubrange(148..<156, with: field)
        #expect(throws: TarArchive.FormatError(reason: "unsafe or too long path \"../cd\"")) {
            try TarArchive.read(bytes)
        }
    }
}
