import CCurses
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts the terminal back (`endwin`) however the process ends: normal return (the backend's
/// `restore()`/`deinit`), `exit()` (an `atexit` hook), SIGINT/SIGTERM/SIGHUP/SIGQUIT, and crashes
/// (SIGSEGV/SIGABRT/SIGBUS/SIGILL/SIGFPE, which is also how Swift traps end). Signal handlers restore
/// the terminal, put back the handler that was there before (the default, or Swift's backtracer),
/// and re-raise, so the process still ends with that signal and crash reports still appear.
enum TerminalRestorer {
    /// True while curses owns the terminal.
    static let cursesActive = Atomic<Bool>(false)

    static let handledSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE]

    /// The handlers that were installed before ours, indexed by signal number.
    nonisolated(unsafe) private static let previousActions: UnsafeMutablePointer<sigaction> = {
        let pointer = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        pointer.initialize(repeating: sigaction(), count: 65)
        return pointer
    }()

    private static let installation: Void = {
        atexit { TerminalRestorer.restore() }
        let handler: @convention(c) (Int32) -> Void = { signal in
            TerminalRestorer.restore()
            sigaction(signal, TerminalRestorer.previousActions + Int(signal), nil)
            raise(signal)
        }
        for signal in handledSignals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = handler
            #else
            action.__sigaction_u.__sa_handler = handler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var previous = sigaction()
            sigaction(signal, nil, &previous)
            if isIgnored(previous) { continue }   // e.g. SIGHUP under nohup: leave it ignored
            (previousActions + Int(signal)).pointee = previous
            sigaction(signal, &action, nil)
        }
    }()

    /// Installs the hooks once per process.
    static func install() {
        _ = installation
    }

    /// Ends curses if it is active; safe to call repeatedly and from a signal handler.
    static func restore() {
        if cursesActive.exchange(false, ordering: .sequentiallyConsistent) {
            endwin()
        }
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
