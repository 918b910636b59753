#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One link in a chain of handlers for the signals that end a process: the termination signals
/// (SIGINT, SIGTERM, SIGHUP, SIGQUIT) and the crash signals (SIGSEGV, SIGABRT, SIGBUS, SIGILL,
/// SIGFPE, SIGTRAP — also how Swift traps end). A handler does its async-signal-safe work, then
/// calls `passOn`, which puts back the handler that was there before (the default, another link,
/// Swift's backtracer) and re-raises, so the process still ends the way it would have and every
/// earlier link runs too. Signals that are ignored when a chain is installed (SIGHUP under
/// `nohup`) stay ignored. Used by the terminal restorer and by the embedded nats-server's guard.
public final class SignalChain: @unchecked Sendable {
    public static let endingSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP]

    /// The handlers that were installed before this link, indexed by signal number.
    private let previousActions: UnsafeMutablePointer<sigaction>

    public init() {
        previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        previousActions.initialize(repeating: sigaction(), count: 65)
    }

    /// Installs `handler` for `signals`, remembering what was there before.
    public func install(_ handler: @convention(c) (Int32) -> Void, for signals: [Int32] = SignalChain.endingSignals) {
        for signal in signals {
            var previous = sigaction()
            sigaction(signal, nil, &previous)
            if Self.isIgnored(previous) { continue }
            (previousActions + Int(signal)).pointee = previous
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = handler
            #else
            action.__sigaction_u.__sa_handler = handler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }

    /// From a handler: the previous handler back in place, and the signal raised again (it is
    /// delivered when the current handler returns). Async-signal-safe.
    public func passOn(_ signal: Int32) {
        sigaction(signal, previousActions + Int(signal), nil)
        raise(signal)
    }

    private static func isIgnored(_ action: sigaction) -> Bool {
        #if canImport(Glibc)
        let handler = action.__sigaction_handler.sa_handler
        #else
        let handler = action.__sigaction_u.__sa_handler
        #endif
        guard let handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == 1   // SIG_IGN
    }
}
