import Foundation
import SignalChain
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the servers this process started end with it, however it ends: `exit()` (an `atexit`
/// hook) and the signals that end a process — SIGINT, SIGTERM, SIGHUP, SIGQUIT and the crash
/// signals (SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP, which is also how Swift traps end).
/// The handler sends SIGTERM to every registered child, puts back the handler that was there before
/// (the default, the terminal restorer's, or Swift's backtracer) and re-raises, so the process still
/// ends the way it would have. Without it a `latticetop demo` closed with its terminal (SIGHUP) or
/// killed left its nats-server running. (SIGKILL cannot be caught: children outlive a `kill -9`.)
public enum ChildProcessGuard {
    static let capacity = 64

    /// Registered child process IDs; 0 is a free slot. Written under `lock`, read by the handler.
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<Int32> = {
        let pointer = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
        return pointer
    }()
    private static let lock = NSLock()

    /// The link in the chain of signal handlers that ends the children.
    private static let chain = SignalChain()

    private static let installation: Void = {
        atexit { ChildProcessGuard.terminateAll() }
        chain.install { signal in
            ChildProcessGuard.terminateAll()
            ChildProcessGuard.chain.passOn(signal)
        }
    }()

    /// Ends `pid` (SIGTERM) when this process ends. Installs the hooks on first use.
    public static func register(_ pid: Int32) {
        _ = installation
        lock.withLock {
            for i in 0..<capacity where slots[i] == 0 {
                slots[i] = pid
                return
            }
        }
    }

    /// `pid` ended or was stopped on purpose: leave it alone from now on.
    public static func unregister(_ pid: Int32) {
        lock.withLock {
            for i in 0..<capacity where slots[i] == pid { slots[i] = 0 }
        }
    }

    /// The registered children, for tests.
    public static var registered: [Int32] {
        lock.withLock { (0..<capacity).map { slots[$0] }.filter { $0 != 0 } }
    }

    /// SIGTERM to every registered child; async-signal-safe (no locks, no allocation).
    static func terminateAll() {
        for i in 0..<capacity {
            let pid = slots[i]
            if pid > 0 { kill(pid, SIGTERM) }
        }
    }
}
