import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

/// Writes files whole or not at all: a temporary file in the same folder, flushed to
/// disk, then renamed over the target. The temporary file is created with the final
/// mode, so a private key is never readable by others, not even for a moment.
enum AtomicFile {
    struct WriteError: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "cannot write \(path): \(reason)" }
    }

    static func write(_ bytes: [UInt8], to url: URL, mode: mode_t) throws(WriteError) {
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/.\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw WriteError(path: url.path, reason: currentErrno()) }
        var written = 0
        var failure: String?
        // The umask may have narrowed the mode; the file gets exactly the mode asked for.
        if fchmod(descriptor, mode) != 0 { failure = currentErrno() }
        while failure == nil, written < bytes.count {
            let count = bytes[written...].withUnsafeBytes {
                systemWrite(descriptor, $0.baseAddress, $0.count)
            }
            if count < 0 {
                if errno == EINTR { continue }
                failure = currentErrno()
            } else {
                written += count
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = currentErrno() }
        close(descriptor)
        if failure == nil, rename(temporary, url.path) != 0 { failure = currentErrno() }
        if let failure {
            unlink(temporary)
            throw WriteError(path: url.path, reason: failure)
        }
        // The rename itself lasts only once the folder's entry is on disk.
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    private static func currentErrno() -> String { String(cString: strerror(errno)) }
}
