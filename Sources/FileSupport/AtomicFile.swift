import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
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
        do throws(POSIXFile.Failure) {
            do throws(POSIXFile.Failure) {
                try POSIXFile.create(temporary, data: bytes, mode: mode, sync: durability == .synced)
                // The umask may have narrowed the mode; the file gets exactly the mode asked for.
                if chmod(temporary, mode) != 0 {
                    throw POSIXFile.Failure(operation: "chmod", path: temporary, code: errno)
                }
                try POSIXFile.rename(temporary, to: path)
            } catch {
                unlink(temporary)
                throw error
            }
            // The rename itself lasts only once the folder's entry is on disk.
            if durability == .synced { try POSIXFile.syncDirectory(folder) }
        } catch {
            throw WriteError(path: path, reason: error.reason)
        }
    }
}
