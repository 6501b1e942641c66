import FileSupport
import Foundation
import Testing

@Suite("Atomic files")
struct AtomicFileTests {
    @Test("a new file gets the bytes and the mode asked for, and no temporary file stays behind")
    func newFile() throws {
        let folder = try temporaryFolder()
        let path = folder + "/key.pem"

        try AtomicFile.write(Data("secret".utf8), to: path, mode: 0o600)

        #expect(FileManager.default.contents(atPath: path) == Data("secret".utf8))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["key.pem"])
    }

    @Test("an existing file is replaced whole")
    func replaces() throws {
        let path = try temporaryFolder() + "/schedule.json"
        try AtomicFile.write(Data(repeating: 65, count: 10_000), to: path)

        try AtomicFile.write(Array("short".utf8), to: path, durability: .renamed)

        #expect(FileManager.default.contents(atPath: path) == Data("short".utf8))
    }

    @Test("a folder that does not exist is a clear error, not a crash")
    func missingFolder() throws {
        let error = try #require(throws: AtomicFile.WriteError.self) {
            try AtomicFile.write(Data("x".utf8), to: "/nonexistent-folder/file.json")
        }

        #expect(error.description.hasPrefix("cannot write /nonexistent-folder/file.json: "))
    }
}
