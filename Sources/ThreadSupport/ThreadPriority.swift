#if canImport(Glibc)
    import Glibc
#endif

/// CPU priority of the calling thread.
public enum ThreadPriority {
    /// Makes the calling thread yield to others: `niceness` (1…19) is added to its own (up to 19),
    /// so that under load the kernel gives the other threads the cores first. Does nothing
    /// where threads have no niceness of their own.
    public static func lowerCurrentThread(niceness: Int32) {
        #if canImport(Glibc)
            // On Linux, `getpriority`/`setpriority(PRIO_PROCESS, 0, …)` read and change the
            // calling thread only. setpriority sets the value: add to the current one.
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
            let current = getpriority(which, 0)
            _ = setpriority(which, 0, min(19, current + max(0, niceness)))
        #endif
    }
}
