import FileSupport
import Foundation
import Testing

@Suite("POSIX files")
struct POSIXFileTests {
    @Test("create writes every byte of a large buffer and refuses to overwrite")
    func create() throws {
        let path = try temporaryFolder() + "/message.eml"
        let bytes = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0) })
        try POSIXFile.create(path, data: bytes, sync: true)
        #expect(FileManager.default.contents(atPath: path) == bytes)

        let failure = try #require(throws: POSIXFile.Failure.self) {
            try POSIXFile.create(path, data: Data("x".utf8), sync: false)
        }
        #expect(failure.operation == "create")
        #expect(failure.description == "create \(path) failed: File exists")
        #expect(FileManager.default.contents(atPath: path) == bytes)
    }

    @Test("a batch synced through its file system, and a folder synced after renames")
    func syncs() throws {
        let folder = try temporaryFolder()
        let files = (0..<3).map { folder + "/m\($0)" }
        for file in files { try POSIXFile.create(file, data: Data(file.utf8), sync: false) }
        try POSIXFile.syncFileSystem(holding: folder, files: files)
        try POSIXFile.makeDirectories(folder + "/new/deeper")
        try POSIXFile.rename(files[0], to: folder + "/new/deeper/m0")
        try POSIXFile.syncDirectory(folder + "/new/deeper")
        #expect(FileManager.default.contents(atPath: folder + "/new/deeper/m0") == Data(files[0].utf8))

        #expect(throws: POSIXFile.Failure(operation: "open", path: folder + "/none", code: ENOENT)) {
            try POSIXFile.syncDirectory(folder + "/none")
        }
    }
}
