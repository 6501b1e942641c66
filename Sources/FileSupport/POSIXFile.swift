import CFileSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system calls of durable files — create, write, fsync, rename, lock — with errors
/// that name the operation and the path. ``AtomicFile`` and the mail outbox both write
/// through these, so a short write or an interrupted call is handled in one place.
public enum POSIXFile {
    /// A system call that failed on a path.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// What was being done: `create`, `write`, `fsync`, `rename to /x`…
        public var operation: String
        public var path: String
        /// The `errno` the call left.
        public var code: Int32

        public init(operation: String, path: String, code: Int32) {
            self.operation = operation
            self.path = path
            self.code = code
        }

        /// The system's words for ``code``: `No space left on device`.
        public var reason: String { String(cString: strerror(code)) }

        public var description: String { "\(operation) \(path) failed: \(reason)" }
    }

    /// Creates `path` (it must not exist) with `mode`, writes `data`, optionally fsyncs, closes.
    public static func create(_ path: String, data: some ContiguousBytes, mode: mode_t = 0o640, sync: Bool)
        throws(Failure)
    {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw Failure(operation: "create", path: path, code: errno) }
        var failure: Failure?
        do {
            try write(descriptor, data, path: path)
            if sync { try self.sync(descriptor, path: path) }
        } catch {
            failure = error
        }
        if close(descriptor) != 0, failure == nil { failure = Failure(operation: "close", path: path, code: errno) }
        if let failure { throw failure }
    }

    /// Writes all of `data` to `descriptor`, retrying short writes and interruptions.
    public static func write(_ descriptor: Int32, _ data: some ContiguousBytes, path: String) throws(Failure) {
        let code: Int32? = data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Int32? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let code { throw Failure(operation: "write", path: path, code: code) }
    }

    /// `fsync(2)`: the file's data and size on disk.
    public static func sync(_ descriptor: Int32, path: String) throws(Failure) {
        if fsync(descriptor) != 0 { throw Failure(operation: "fsync", path: path, code: errno) }
    }

    /// Flushes the entry changes of the folder `path` (a file created or renamed in it) to disk.
    public static func syncDirectory(_ path: String) throws(Failure) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(operation: "open", path: path, code: errno) }
        defer { close(descriptor) }
        try sync(descriptor, path: path)
    }

    /// Makes `files`, all on the file system holding `path`, durable: one Linux `syncfs`
    /// for the whole batch rather than one fsync per file; one fsync each where there is none.
    public static func syncFileSystem(holding path: String, files: [String]) throws(Failure) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(operation: "open", path: path, code: errno) }
        let result = partnering_syncfs(descriptor)
        let code = errno
        close(descriptor)
        if result == 0 { return }
        if code != ENOSYS { throw Failure(operation: "syncfs", path: path, code: code) }
        for file in files {
            let descriptor = open(file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw Failure(operation: "open", path: file, code: errno) }
            defer { close(descriptor) }
            try sync(descriptor, path: file)
        }
    }

    /// `rename(2)`: replaces `to` with `from` in one step.
    public static func rename(_ from: String, to: String) throws(Failure) {
        if systemRename(from, to) != 0 { throw Failure(operation: "rename to \(to)", path: from, code: errno) }
    }

    /// Creates the folder `path` unless it exists.
    public static func makeDirectory(_ path: String) throws(Failure) {
        if mkdir(path, 0o750) != 0 && errno != EEXIST { throw Failure(operation: "mkdir", path: path, code: errno) }
    }

    /// Creates `path` and the folders above it that are missing (`mkdir -p`).
    public static func makeDirectories(_ path: String) throws(Failure) {
        var partial = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            partial += "/" + component
            try makeDirectory(partial)
        }
    }

    /// Runs `body` holding an exclusive `flock` on `path` (created if needed), which
    /// serialises writers across processes.
    public static func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw Failure(operation: "open", path: path, code: errno) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR { throw Failure(operation: "lock", path: path, code: errno) }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// The host name as Maildir file names carry it: `/` and `:` would break the name.
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let safe = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") ? $0 : "_" })
        return safe.isEmpty ? "localhost" : safe
    }
}

#if canImport(Glibc)
    private let systemWrite = Glibc.write
    private let systemRename = Glibc.rename
#elseif canImport(Musl)
    private let systemWrite = Musl.write
    private let systemRename = Musl.rename
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
    private let systemRename = Darwin.rename
#endif
