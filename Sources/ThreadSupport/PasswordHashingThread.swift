/// The one thread that runs password hashing for the whole process. Bcrypt costs tens of
/// milliseconds of CPU per call by design; run on the cooperative pool, a burst of sign-ins
/// (organisers, desks) would hold its few threads and stall every other request.
public enum PasswordHashingThread {
    private static let executor = DedicatedThreadExecutor(name: "partnering-bcrypt")

    /// Runs `work` on the password-hashing thread and returns its result.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await executor.run(work)
    }
}
