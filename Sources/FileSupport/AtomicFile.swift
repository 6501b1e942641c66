import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

/// Writes files whole or not at all: a temporary file in the same folder, then
/// a rename over the target, so that a reader (or a crash) never sees half a
/// file. The temporary file is created with the final mode, so a private key is
/// never readable by others, not even for a moment.
public enum AtomicFile {
    /// Why a file could not be written.
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// How hard to make sure the file survives a power cut.
    public enum Durability: Sendable {
        /// fsync the file before the rename and the folder after it.
        case synced
        /// Rely on the rename alone; for many files at once, followed by one `sync()`.
        case renamed
    }

    /// Writes `bytes` to `path` atomically with permissions `mode`.
    public static func write(
        _ bytes: some ContiguousBytes, to path: String, mode: mode_t = 0o644, durability: Durability = .synced
    ) throws(WriteError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/.\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: currentErrno()) }
        var failure: String?
        // The umask may have narrowed the mode; the file gets exactly the mode asked for.
        if fchmod(descriptor, mode) != 0 { failure = currentErrno() }
        if failure == nil { failure = writeAll(bytes, to: descriptor) }
        if failure == nil, durability == .synced, fsync(descriptor) != 0 { failure = currentErrno() }
        if close(descriptor) != 0, failure == nil { failure = currentErrno() }
        if failure == nil, rename(temporary, path) != 0 { failure = currentErrno() }
        if let failure {
            unlink(temporary)
            throw WriteError(path: path, reason: failure)
        }
        if durability == .synced {
            // The rename itself lasts only once the folder's entry is on disk.
            let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY)
            if folderDescriptor >= 0 {
                fsync(folderDescriptor)
                close(folderDescriptor)
            }
        }
    }

    private static func writeAll(_ bytes: some ContiguousBytes, to descriptor: Int32) -> String? {
        bytes.withUnsafeBytes { buffer -> String? in
            guard let base = buffer.baseAddress else { return nil }
            var written = 0
            while written < buffer.count {
                let count = systemWrite(descriptor, base + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return currentErrno()
                }
                written += count
            }
            return nil
        }
    }

    private static func currentErrno() -> String { String(cString: strerror(errno)) }
}
