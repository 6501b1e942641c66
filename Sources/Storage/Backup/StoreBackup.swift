import COpenSSL
import FileSupport
import Foundation
import PartneringCore
import ThreadSupport

/// A backup of an SQLite store with its key folder, in one file: a POSIX `ustar` archive
/// (`tar tvf` lists it) whose first member, `manifest.json`, names the format
/// (`partnering-backup/1`), the time of the copy and every other member with its size and
/// SHA-256; then `partnering.sqlite`, the database as one consistent snapshot, and
/// `keys/…`, the files of the key folder with their modes.
///
/// Both directions run on a thread of their own (file I/O, SQLite, `fsync` block), never on
/// the cooperative pool.
public enum StoreBackup {
    /// The format named in the manifest.
    public static let format = "partnering-backup/1"
    static let manifestPath = "manifest.json"
    static let databasePath = "partnering.sqlite"
    static let keysPrefix = "keys/"

    /// What a backup holds, as its manifest says.
    public struct Manifest: Codable, Sendable, Hashable {
        public struct File: Codable, Sendable, Hashable {
            public var path: String
            public var size: Int
            public var sha256: String
        }

        public var format: String
        public var createdAt: Date
        public var files: [File]

        /// The key folder's files, relative to it.
        public var keyFiles: [String] {
            files.map(\.path).filter { $0.hasPrefix(StoreBackup.keysPrefix) }.map {
                String($0.dropFirst(StoreBackup.keysPrefix.count))
            }
        }
    }

    /// Why a backup could not be made or put back.
    public enum Failure: Error, CustomStringConvertible, Sendable, Equatable {
        /// No SQLite store at the path (nothing to back up).
        case noStore(String)
        /// The file is not a Partnering backup, or it was damaged (the reason says where).
        case notABackup(path: String, reason: String)
        /// The target already holds a store or keys; `--force` replaces them.
        case targetNotEmpty(String)
        /// Reading or writing a file failed.
        case io(String)
        /// The database copy failed `PRAGMA integrity_check`.
        case damagedDatabase(path: String, findings: String)

        public var description: String {
            switch self {
            case .noStore(let path): "no SQLite store at \(path)"
            case .notABackup(let path, let reason): "\(path) is not a usable Partnering backup: \(reason)"
            case .targetNotEmpty(let path):
                "\(path) is not empty; stop the service and use --force to replace it with the backup"
            case .io(let reason): reason
            case .damagedDatabase(let path, let findings): "the database in \(path) is damaged: \(findings)"
            }
        }
    }

    /// Copies the store at `database` (SQLite's online backup API: a consistent snapshot while
    /// the service keeps writing) and the files of `keyFolder` into `archive`, written whole
    /// or not at all (temporary file, `fsync`, rename), readable by its owner only (it holds
    /// the private keys).
    @discardableResult
    public static func create(database: String, keyFolder: String, archive: String, now: Date = Date())
        async throws -> Manifest
    {
        try await offThePool { try makeBackup(database: database, keyFolder: keyFolder, archive: archive, now: now) }
    }

    /// Runs blocking `work` on a thread of its own.
    private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let thread = DedicatedThreadExecutor(name: "partnering-backup")
        defer { thread.shutdown() }
        return try await thread.run(work)
    }

    private static func makeBackup(database: String, keyFolder: String, archive: String, now: Date) throws
        -> Manifest
    {
        guard FileManager.default.fileExists(atPath: database) else { throw Failure.noStore(database) }
        let snapshot = try snapshot(of: database, beside: archive)
        var entries = [TarArchive.Entry(path: databasePath, mode: 0o600, modified: now, contents: snapshot)]
        entries += try keyFiles(in: keyFolder)
        let manifest = Manifest(
            format: format, createdAt: now,
            files: entries.map { .init(path: $0.path, size: $0.contents.count, sha256: sha256Hex($0.contents)) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let manifestBytes = Array(try encoder.encode(manifest))
        entries.insert(.init(path: manifestPath, mode: 0o600, modified: now, contents: manifestBytes), at: 0)
        do {
            try AtomicFile.write(try TarArchive.write(entries), to: archive, mode: 0o600)
        } catch {
            throw Failure.io("cannot write \(archive): \(error)")
        }
        return manifest
    }

    /// Reads and checks a backup: the archive's structure, the manifest's format and every
    /// member's size and SHA-256.
    public static func read(_ archive: String) throws -> (Manifest, [String: TarArchive.Entry]) {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: archive)))
        } catch {
            throw Failure.io("cannot read \(archive): \(error.localizedDescription)")
        }
        func refuse(_ reason: String) -> Failure { .notABackup(path: archive, reason: reason) }
        let entries: [TarArchive.Entry]
        do { entries = try TarArchive.read(bytes) } catch { throw refuse(error.reason) }
        guard let first = entries.first, first.path == manifestPath else {
            throw refuse("it does not start with \(manifestPath)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let manifest = try? decoder.decode(Manifest.self, from: Data(first.contents)) else {
            throw refuse("its \(manifestPath) cannot be read")
        }
        guard manifest.format == format else {
            throw refuse("format \"\(manifest.format)\", this version reads \"\(format)\"")
        }
        var members: [String: TarArchive.Entry] = [:]
        for entry in entries.dropFirst() { members[entry.path] = entry }
        guard Set(members.keys) == Set(manifest.files.map(\.path)), members.count == entries.count - 1 else {
            throw refuse("its members differ from those its manifest lists")
        }
        for file in manifest.files {
            guard let member = members[file.path], member.contents.count == file.size,
                sha256Hex(member.contents) == file.sha256
            else { throw refuse("\(file.path) differs from its manifest (size or SHA-256): damaged") }
        }
        guard members[databasePath] != nil else { throw refuse("it holds no \(databasePath)") }
        return (manifest, members)
    }

    /// Puts a backup back: the database at `database`, the key files into `keyFolder`.
    ///
    /// Refuses (``Failure/targetNotEmpty(_:)``) when a store or key files are there already,
    /// unless `force`. The database is written beside its target, synced and checked with
    /// `PRAGMA integrity_check` before it replaces anything (one rename), so the target never
    /// holds half a copy. The service must not run on the target meanwhile.
    @discardableResult
    public static func restore(archive: String, database: String, keyFolder: String, force: Bool) async throws
        -> Manifest
    {
        try await offThePool { try putBack(archive: archive, database: database, keyFolder: keyFolder, force: force) }
    }

    private static func putBack(archive: String, database: String, keyFolder: String, force: Bool) throws -> Manifest {
        let (manifest, members) = try read(archive)
        let files = FileManager.default
        if !force {
            if let size = (try? files.attributesOfItem(atPath: database))?[.size] as? Int, size > 0 {
                throw Failure.targetNotEmpty(database)
            }
            if !(try regularFiles(under: keyFolder)).isEmpty { throw Failure.targetNotEmpty(keyFolder) }
        }
        guard let copy = members[databasePath] else { throw Failure.notABackup(path: archive, reason: "no database") }
        let folder = URL(fileURLWithPath: database).deletingLastPathComponent().path
        do {
            try POSIXFile.makeDirectories(folder)
        } catch {
            throw Failure.io("cannot create \(folder): \(error)")
        }
        let temporary = folder + "/.restore-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        defer { removeDatabaseFiles(temporary) }
        do {
            try POSIXFile.create(temporary, data: copy.contents, mode: 0o600, sync: true)
        } catch {
            throw Failure.io("cannot write \(temporary): \(error)")
        }
        try checkIntegrity(of: temporary, in: archive)
        // A replaced store's write-ahead log belongs to the old file: it must not be replayed
        // into the restored one.
        for suffix in ["-wal", "-shm"] { unlink(database + suffix) }
        do {
            try POSIXFile.rename(temporary, to: database)
            try POSIXFile.syncDirectory(folder)
        } catch {
            throw Failure.io("cannot put the database in place at \(database): \(error)")
        }
        for relative in manifest.keyFiles {
            guard let member = members[keysPrefix + relative] else { continue }
            let target = keyFolder + "/" + relative
            do {
                try FileManager.default.createDirectory(
                    atPath: URL(fileURLWithPath: target).deletingLastPathComponent().path,
                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                try AtomicFile.write(member.contents, to: target, mode: mode_t(member.mode))
            } catch {
                throw Failure.io("cannot write \(target): \(error)")
            }
        }
        return manifest
    }

    /// The database's snapshot, through a temporary copy beside `archive` (removed after).
    private static func snapshot(of database: String, beside archive: String) throws -> [UInt8] {
        let folder = URL(fileURLWithPath: archive).deletingLastPathComponent().path
        let temporary = folder + "/.backup-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        defer { removeDatabaseFiles(temporary) }
        do {
            let source = try SQLiteHandle(path: database, busyTimeoutMilliseconds: 10_000)
            defer { source.close() }
            let copy = try SQLiteHandle(path: temporary, busyTimeoutMilliseconds: 10_000)
            try source.backup(into: copy)
            // The copy leaves WAL mode, so that the file alone is the whole database.
            _ = try copy.run("PRAGMA journal_mode = DELETE", binds: [])
            copy.close()
        } catch {
            throw Failure.io("cannot copy the store \(database): \(error)")
        }
        try checkIntegrity(of: temporary, in: database)
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: temporary)))
        } catch {
            throw Failure.io("cannot read the copy \(temporary): \(error.localizedDescription)")
        }
    }

    /// Throws ``Failure/damagedDatabase(path:findings:)`` unless `PRAGMA integrity_check` says `ok`.
    private static func checkIntegrity(of file: String, in origin: String) throws {
        let findings: [String]
        do {
            let handle = try SQLiteHandle(path: file, busyTimeoutMilliseconds: 10_000)
            defer { handle.close() }
            findings = try handle.integrityCheck()
        } catch {
            throw Failure.damagedDatabase(path: origin, findings: "\(error)")
        }
        guard findings == ["ok"] else {
            throw Failure.damagedDatabase(path: origin, findings: findings.prefix(5).joined(separator: "; "))
        }
    }

    private static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    /// The key folder's regular files as archive members under `keys/`; none when it is missing.
    private static func keyFiles(in folder: String) throws -> [TarArchive.Entry] {
        try regularFiles(under: folder).map { relative in
            let path = folder + "/" + relative
            do {
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                return TarArchive.Entry(
                    path: keysPrefix + relative, mode: UInt32((attributes[.posixPermissions] as? Int) ?? 0o600),
                    modified: (attributes[.modificationDate] as? Date) ?? Date(),
                    contents: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            } catch {
                throw Failure.io("cannot read \(path): \(error.localizedDescription)")
            }
        }
    }

    /// The regular files under `folder`, relative to it, sorted; none when it is missing.
    private static func regularFiles(under folder: String) throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return []
        }
        guard let walker = FileManager.default.enumerator(atPath: folder) else {
            throw Failure.io("cannot list \(folder)")
        }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + relative)
            if attributes?[.type] as? FileAttributeType == .typeRegular { found.append(relative) }
        }
        return found.sorted()
    }

    /// SHA-256 of `bytes` as lowercase hexadecimal digits.
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        // EVP_Digest fails only when memory runs out; the all-zero digest then matches nothing.
        _ = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, bytes.count, &digest, &length, EVP_sha256(), nil)
        }
        return HexDigits.encode(digest)
    }
}
