import Foundation
import Synchronization

/// Why a headless command stops before it is done: SIGINT or SIGTERM, or its reader went away
/// (EPIPE on stdout, or the pipe's last reader closed it). Process-wide: the first reason wins and
/// every waiter gets it.
final class StopRequest: Sendable {
    static let shared = StopRequest()

    enum Reason: Sendable, Equatable {
        case signal(Int32)
        case readerGone
    }

    private struct State {
        var reason: Reason?
        var waiters: [CheckedContinuation<Reason, Never>] = []
        var handlers: [@Sendable (Reason) -> Void] = []
        var listening = false
    }

    private let state = Mutex(State())
    private static let signalQueue = DispatchQueue(label: "latticetop.signals")

    /// The reason, once there is one.
    var reason: Reason? { state.withLock { $0.reason } }

    func request(_ reason: Reason) {
        let (waiters, handlers) = state.withLock { s -> ([CheckedContinuation<Reason, Never>], [@Sendable (Reason) -> Void]) in
            guard s.reason == nil else { return ([], []) }
            s.reason = reason
            defer { s.waiters = [] }
            return (s.waiters, s.handlers)
        }
        for h in handlers { h(reason) }
        for w in waiters { w.resume(returning: reason) }
    }

    /// Runs `handler` at once on the thread that asks to stop (a signal's dispatch queue, the
    /// writer that met EPIPE): for what must not wait for a free thread of the cooperative pool,
    /// which a flood's consumers may keep busy for seconds. Runs it now if a stop was asked.
    func onStop(_ handler: @escaping @Sendable (Reason) -> Void) {
        let now = state.withLock { s -> Reason? in
            if s.reason == nil { s.handlers.append(handler) }
            return s.reason
        }
        if let now { handler(now) }
    }

    /// Starts listening for SIGINT and SIGTERM and for stdout's reader going away (once).
    func listen() {
        let first = state.withLock { s -> Bool in
            defer { s.listening = true }
            return !s.listening
        }
        guard first else { return }
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: Self.signalQueue)
            source.setEventHandler { [self] in request(.signal(sig)) }
            source.resume()
            SignalSources.keep(source)
        }
        StandardOutput.out.watchReader()
    }

    /// Waits for a reason to stop (listening first if nobody did).
    func wait() async -> Reason {
        listen()
        return await withCheckedContinuation { (c: CheckedContinuation<Reason, Never>) in
            let now = state.withLock { s -> Reason? in
                if let r = s.reason { return r }
                s.waiters.append(c)
                return nil
            }
            if let now { c.resume(returning: now) }
        }
    }
}

/// Keeps dispatch signal sources alive for the life of the process.
enum SignalSources {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    private static let lock = NSLock()
    static func keep(_ s: any DispatchSourceSignal) { lock.withLock { sources.append(s) } }
}
