#if os(Linux)
    import Foundation
    import Glibc
    import SQLKit
    import Testing

    @testable import Storage

    /// Two copies of SQLite opening one file in one process each keep their own bookkeeping
    /// of POSIX locks, and closing a connection in one drops the locks the other relies on:
    /// a corrupted database. The store therefore uses the system's SQLite only.
    @Suite("One SQLite library in the process")
    struct SQLiteLibraryTests {
        @Test("an open store uses the system's libsqlite3, the only SQLite mapped or built into the process")
        func onlyTheSystemLibrary() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "sqlite-lib-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let store = try await PartneringStore.open(
                .sqlite(path: folder.appendingPathComponent("store.sqlite").path))
            let versionInUse: String?
            do {
                try await store.migrate()
                let sql = try #require(try store.sqlDatabase())
                versionInUse = try await sql.raw("SELECT sqlite_version() AS version").first()?
                    .decode(column: "version", as: String.self)
            } catch {
                try await store.shutdown()
                throw error
            }
            try await store.shutdown()

            // Exactly one SQLite library's code is mapped, and it answers the store's statements
            // (databases' -shm files are mapped too, but not executable: other tests' stores).
            // Read to the end: /proc files report a size of 0.
            let mapsHandle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/maps"))
            defer { try? mapsHandle.close() }
            let maps = String(decoding: try mapsHandle.readToEnd() ?? Data(), as: UTF8.self)
            let sqliteFiles = Set(
                maps.split(separator: "\n").compactMap { line -> String? in
                    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                    guard fields.count > 5, fields[1].contains("x") else { return nil }
                    return String(fields[5])
                }.filter { ($0 as NSString).lastPathComponent.lowercased().contains("sqlite") })
            #expect(sqliteFiles.count == 1, "SQLite files mapped: \(sqliteFiles.sorted())")
            let library = try #require(sqliteFiles.first)
            #expect((library as NSString).lastPathComponent.hasPrefix("libsqlite3.so"))
            #expect(versionInUse == Self.version(ofLoaded: library))

            // No copy of SQLite compiled into the executable itself (as a package's bundled
            // amalgamation would be, sqlite-nio's among them): the format of SQLite's own
            // "misuse at line N of [source id]" log message appears nowhere in it. (Spelled in
            // pieces, so that this test's text does not put it there.)
            let sqliteLogFormat = ["at line %d", "of [%.10s]"].joined(separator: " ")
            let executable = try Data(contentsOf: URL(fileURLWithPath: "/proc/self/exe"))
            #expect(!Self.contains(executable, sqliteLogFormat), "the executable embeds its own SQLite")
        }

        /// `sqlite3_libversion()` of the already loaded library at `path`.
        private static func version(ofLoaded path: String) -> String? {
            guard let handle = dlopen(path, RTLD_NOW | RTLD_NOLOAD) else { return nil }
            defer { dlclose(handle) }
            guard let symbol = dlsym(handle, "sqlite3_libversion") else { return nil }
            typealias LibVersion = @convention(c) () -> UnsafePointer<CChar>?
            return unsafeBitCast(symbol, to: LibVersion.self)().map { String(cString: $0) }
        }

        /// Whether `needle` occurs in `data`: `memchr` to each candidate first byte, then a compare.
        private static func contains(_ data: Data, _ needle: String) -> Bool {
            let pattern = Array(needle.utf8)
            guard let first = pattern.first else { return true }
            return data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
                guard let base = bytes.baseAddress, bytes.count >= pattern.count else { return false }
                var offset = 0
                let lastStart = bytes.count - pattern.count
                while offset <= lastStart {
                    guard let hit = memchr(base + offset, Int32(first), lastStart - offset + 1) else { return false }
                    let start = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + start, pattern, pattern.count) == 0 { return true }
                    offset = start + 1
                }
                return false
            }
        }
    }
#endif
