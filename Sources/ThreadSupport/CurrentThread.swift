import Foundation

/// What the kernel knows of the calling thread.
public enum CurrentThread {
    /// The thread's name as `top -H` and `ps -L` show it (at most 15 bytes on Linux), which
    /// ``DedicatedThreadExecutor`` sets: a way to check where code runs. Synchronous on
    /// purpose: `Thread.current` is not for async code.
    public static var name: String? {
        #if os(Linux)
            let comm = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
            return comm?.trimmingCharacters(in: .newlines)
        #else
            return Thread.current.name
        #endif
    }
}
