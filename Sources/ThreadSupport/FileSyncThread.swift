/// The one thread that runs the durable file writes made while serving (a write, `fsync`,
/// rename, `fsync` of the folder): each blocks for milliseconds, far more on a busy disk, and
/// on the cooperative pool it would hold one of its few threads and stall other requests.
/// Being one thread, it also runs those writes one at a time.
public enum FileSyncThread {
    private static let executor = DedicatedThreadExecutor(name: "partnering-fsync")

    /// Runs `work` on the file-sync thread and returns its result (or its error).
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await executor.run(work)
    }
}
