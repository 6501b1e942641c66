#if canImport(Glibc)
    import Glibc
#endif

/// CPU priority of the calling thread.
public enum ThreadPriority {
    /// Makes the calling thread yield to others: `niceness` (1…19) is added to the process's,
    /// so that under load the kernel gives the other threads the cores first. Does nothing
    /// where threads have no niceness of their own.
    public static func lowerCurrentThread(niceness: Int32) {
        #if canImport(Glibc)
            // On Linux, `setpriority(PRIO_PROCESS, 0, …)` changes the calling thread only.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }
}
