import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few system calls the outbox needs for durable, atomic files, with errors that
/// name the operation and the path.
enum POSIXFile {
    /// Creates `path` (it must not exist), writes `data`, optionally fsyncs, closes.
    static func create(_ path: String, data: Data, sync: Bool) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw OutboxError.io(operation: "create", path: path, errno: errno) }
        defer { close(descriptor) }
        try write(descriptor, data, path: path)
        if sync, fsync(descriptor) != 0 { throw OutboxError.io(operation: "fsync", path: path, errno: errno) }
    }

    /// Writes all of `data`, retrying short writes and interruptions.
    static func write(_ descriptor: Int32, _ data: Data, path: String) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw OutboxError.io(operation: "write", path: path, errno: errno)
                }
                offset += written
            }
        }
    }

    /// Flushes the directory entry changes of `path` (a rename into it) to disk.
    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw OutboxError.io(operation: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        if fsync(descriptor) != 0 { throw OutboxError.io(operation: "fsync", path: path, errno: errno) }
    }

    /// Flushes every pending write of the file system holding `path`: one flush for a
    /// whole batch of files (Linux `syncfs`), rather than one fsync per file.
    static func syncFileSystem(holding path: String, files: [String]) throws {
        #if os(Linux)
            if let syncfs = linuxSyncfs {
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { throw OutboxError.io(operation: "open", path: path, errno: errno) }
                defer { close(descriptor) }
                if syncfs(descriptor) != 0 { throw OutboxError.io(operation: "syncfs", path: path, errno: errno) }
                return
            }
        #endif
        for file in files {
            let descriptor = open(file, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw OutboxError.io(operation: "open", path: file, errno: errno) }
            defer { close(descriptor) }
            if fsync(descriptor) != 0 { throw OutboxError.io(operation: "fsync", path: file, errno: errno) }
        }
    }

    #if os(Linux)
        /// `syncfs(2)`, looked up at run time: Glibc's module map hides it behind _GNU_SOURCE.
        private static let linuxSyncfs: (@convention(c) (Int32) -> Int32)? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
        }()
    #endif

    static func rename(_ from: String, to: String) throws {
        if Foundation.rename(from, to) != 0 {
            throw OutboxError.io(operation: "rename to \(to)", path: from, errno: errno)
        }
    }

    static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o750) != 0 && errno != EEXIST {
            throw OutboxError.io(operation: "mkdir", path: path, errno: errno)
        }
    }

    /// Creates `path` and the folders above it that are missing (`mkdir -p`).
    static func makeDirectories(_ path: String) throws {
        var partial = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            partial += "/" + component
            try makeDirectory(partial)
        }
    }

    /// Runs `body` holding an exclusive `flock` on `path` (created if needed), which
    /// serialises writers across processes.
    static func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw OutboxError.io(operation: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR { throw OutboxError.io(operation: "lock", path: path, errno: errno) }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// The host name as Maildir file names carry it: `/` and `:` would break the name.
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let safe = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") ? $0 : "_" })
        return safe.isEmpty ? "localhost" : safe
    }
}
