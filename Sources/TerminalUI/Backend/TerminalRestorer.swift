import CCurses
import SignalChain
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts the terminal back (`endwin`) however the process ends: normal return (the backend's
/// `restore()`/`deinit`), `exit()` (an `atexit` hook), SIGINT/SIGTERM/SIGHUP/SIGQUIT, and crashes
/// (SIGSEGV/SIGABRT/SIGBUS/SIGILL/SIGFPE/SIGTRAP, which is also how Swift traps end). Signal handlers restore
/// the terminal, put back the handler that was there before (the default, or Swift's backtracer),
/// and re-raise, so the process still ends with that signal and crash reports still appear.
enum TerminalRestorer {
    /// True while curses owns the terminal.
    static let cursesActive = Atomic<Bool>(false)

    /// The link in the chain of signal handlers that gives the terminal back.
    private static let chain = SignalChain()

    private static let installation: Void = {
        atexit { TerminalRestorer.restore() }
        chain.install { signal in
            TerminalRestorer.restore()
            TerminalRestorer.chain.passOn(signal)
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
}
