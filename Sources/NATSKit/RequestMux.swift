import Dispatch
import Synchronization

/// Request/reply over one wildcard inbox subscription per connection (`<inbox>.*`), as cnats'
/// own request does: each request takes a token, its reply subject is `<inbox>.<token>`, and the
/// replies are routed to the waiting requests by subject. One subscription (and one cnats delivery
/// thread) for every request, however many are in flight — not a subscription, a SUB and an UNSUB
/// each (10,000 `host.get` at once are 10,000 of those). Replies are routed on the cnats thread
/// as they arrive: a reply in time is never late for want of a task to route it (with thousands
/// of requests decoding their replies, the task pool may be busy for seconds).
///
/// Timeouts (and resends) of every request in flight share one timer (`Deadlines`): a request
/// adds its deadline to its timeout's queue, the timer is armed for the earliest one, and a reply
/// leaves its deadline to lapse unnoticed — no timer, work item or task a request.
final class RequestMux: Sendable {
    /// The end of a request handed to a callback (`request(…, completion:)`): the reply, or nil
    /// when none came (timed out, cancelled, or the subscription ended).
    typealias Completion = @Sendable (NATSMessage?) -> Void

    private enum Waiter {
        /// Sent, not waited for yet.
        case reserved
        case waiting(CheckedContinuation<NATSMessage?, Never>)
        case callback(Completion)
        /// The reply (nil: timed out, cancelled or the subscription ended) before anyone waited.
        case done(NATSMessage?)
    }

    private struct Slot {
        var waiter: Waiter
        /// Sends the request again to the same reply subject (nil: no resends).
        var resend: (@Sendable () -> Void)?
        var resendsLeft = 0
        var timeout: UInt64 = 0
    }

    private struct State {
        var subscription: NATSSubscription?
        var prefix = ""
        var next: UInt64 = 0
        var slots: [UInt64: Slot] = [:]
        var deadlines = Deadlines()
        /// The shared timer, made on first use, and the deadline it is armed for (nil: idle).
        var timer: (any DispatchSourceTimer)?
        var armedFor: UInt64?
        var timersMade = 0
    }

    private let state = Mutex(State())
    private let timerQueue = DispatchQueue(label: "natskit.request-deadlines")

    deinit {
        state.withLock { $0.timer?.cancel() }
    }

    /// A token for a new request and its reply subject; subscribes on first use (or again after
    /// the subscription ended). With `completion`, the request's end goes to it (on the thread
    /// that ends it) instead of to `wait`.
    func reserve(on connection: NATSConnection, completion: Completion? = nil) throws(NATSError) -> (token: UInt64, reply: String) {
        let result: Result<(UInt64, String), NATSError> = state.withLock { s in
            if s.subscription == nil {
                let prefix = connection.newInbox() + "."
                do throws(NATSError) {
                    s.subscription = try connection.subscribe(prefix + "*") { [weak self] message in
                        guard let self else { return }
                        if let message {
                            self.route(message, prefix: prefix)
                        } else {
                            self.ended(prefix: prefix)
                        }
                    }
                    s.prefix = prefix
                } catch {
                    return .failure(error)
                }
            }
            s.next += 1
            s.slots[s.next] = Slot(waiter: completion.map { .callback($0) } ?? .reserved)
            return .success((s.next, s.prefix + String(s.next)))
        }
        let (token, reply) = try result.get()
        return (token, reply)
    }

    /// Starts `token`'s clock: it ends without a reply `timeout` from now, unless `resend` is
    /// given, which is then called at each `timeout` while no reply came, `resends` times, before
    /// the request ends after the last one's `timeout`.
    func arm(_ token: UInt64, timeout: Duration, resends: Int = 0, resend: (@Sendable () -> Void)? = nil) {
        let nanos = UInt64(max(0, timeout.timeInterval) * 1e9)
        state.withLock { s in
            guard s.slots[token] != nil else { return }
            s.slots[token]!.timeout = nanos
            if let resend, resends > 0 {
                s.slots[token]!.resend = resend
                s.slots[token]!.resendsLeft = resends
            }
            s.deadlines.push(at: DispatchTime.now().uptimeNanoseconds &+ nanos, timeout: nanos, token: token)
            armTimer(&s)
        }
    }

    /// The reply to `token`'s request (nil: none came before `finish`).
    func wait(_ token: UInt64) async -> NATSMessage? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<NATSMessage?, Never>) in
                let ready: NATSMessage?? = state.withLock { s in
                    switch s.slots[token]?.waiter {
                    case .done(let reply):
                        s.slots[token] = nil
                        return .some(reply)
                    case .reserved:
                        if Task.isCancelled {
                            s.slots[token] = nil
                            return .some(nil)
                        }
                        s.slots[token]!.waiter = .waiting(c)
                        return nil
                    case .waiting, .callback, nil:
                        return .some(nil)
                    }
                }
                if let ready { c.resume(returning: ready) }
            }
        } onCancel: {
            finish(token, with: nil)
        }
    }

    /// Ends `token`'s request with `reply` (a later reply or finish is ignored).
    func finish(_ token: UInt64, with reply: NATSMessage?) {
        enum Wake {
            case continuation(CheckedContinuation<NATSMessage?, Never>)
            case callback(Completion)
        }
        let wake: Wake? = state.withLock { s in
            switch s.slots[token]?.waiter {
            case .reserved:
                s.slots[token] = Slot(waiter: .done(reply))
                return nil
            case .waiting(let c):
                s.slots[token] = nil
                return .continuation(c)
            case .callback(let f):
                s.slots[token] = nil
                return .callback(f)
            case .done, nil:
                return nil
            }
        }
        switch wake {
        case .continuation(let c): c.resume(returning: reply)
        case .callback(let f): f(reply)
        case nil: break
        }
    }

    /// Drops `token`'s request without ending it (its completion is not called): it was never sent.
    func forget(_ token: UInt64) {
        _ = state.withLock { $0.slots.removeValue(forKey: token) }
    }

    /// Whether `token`'s request is still waiting for its reply.
    func isOpen(_ token: UInt64) -> Bool {
        state.withLock { s in
            switch s.slots[token]?.waiter {
            case .reserved, .waiting, .callback: return true
            case .done, nil: return false
            }
        }
    }

    /// Requests waiting for a reply now, and deadlines not yet passed (a reply leaves its
    /// request's deadline in place until it passes).
    var inFlight: (requests: Int, deadlines: Int) {
        state.withLock { s in
            (s.slots.values.count { if case .done = $0.waiter { false } else { true } }, s.deadlines.count)
        }
    }

    /// How many dispatch timers this connection's requests have made (one, however many requests).
    var timersMade: Int { state.withLock { $0.timersMade } }

    /// Hands a reply to its request.
    private func route(_ message: NATSMessage, prefix: String) {
        guard message.subject.hasPrefix(prefix), let token = UInt64(message.subject.dropFirst(prefix.count)) else { return }
        finish(token, with: message)
    }

    /// The subscription ended (the connection closed): every request still open ends without a
    /// reply, and the next request subscribes again.
    private func ended(prefix: String) {
        let open: [UInt64] = state.withLock { s in
            if s.prefix == prefix { s.subscription = nil }
            return Array(s.slots.keys)
        }
        for token in open { finish(token, with: nil) }
    }

    // MARK: - The shared timer

    /// Arms the timer for the earliest deadline, unless it is armed for that one or an earlier one.
    private func armTimer(_ s: inout State) {
        guard let first = s.deadlines.first else { return }
        if let armed = s.armedFor, armed <= first { return }
        if s.timer == nil {
            let timer = DispatchSource.makeTimerSource(queue: timerQueue)
            timer.setEventHandler { [weak self] in self?.expire() }
            timer.resume()
            s.timer = timer
            s.timersMade += 1
        }
        s.armedFor = first
        s.timer?.schedule(deadline: DispatchTime(uptimeNanoseconds: first), leeway: .milliseconds(2))
    }

    /// The timer fired: every request whose deadline has passed and that is still open is sent
    /// again (when it has resends left, with a new deadline) or ends without a reply.
    private func expire() {
        var resends: [@Sendable () -> Void] = []
        var expired: [UInt64] = []
        state.withLock { s in
            s.armedFor = nil
            let now = DispatchTime.now().uptimeNanoseconds
            for token in s.deadlines.popDue(now) {
                guard let slot = s.slots[token] else { continue }
                switch slot.waiter {
                case .done: continue
                case .reserved, .waiting, .callback: break
                }
                if slot.resendsLeft > 0, let resend = slot.resend {
                    s.slots[token]!.resendsLeft -= 1
                    s.deadlines.push(at: now &+ slot.timeout, timeout: slot.timeout, token: token)
                    resends.append(resend)
                } else {
                    expired.append(token)
                }
            }
            armTimer(&s)
        }
        for resend in resends { resend() }
        for token in expired { finish(token, with: nil) }
    }
}

/// Deadlines (uptime nanoseconds) of requests by token, in one queue per timeout: requests with
/// the same timeout fall due in the order they were armed (each deadline is taken under the
/// lock, so later is never earlier), so the earliest deadline is at the head of one of the few
/// queues. No ordering work a request.
struct Deadlines {
    private struct Queue {
        var items: [(at: UInt64, token: UInt64)] = []
        var head = 0
        var first: UInt64? { head < items.count ? items[head].at : nil }

        mutating func popDue(_ now: UInt64, into due: inout [UInt64]) {
            while head < items.count, items[head].at <= now {
                due.append(items[head].token)
                head += 1
            }
            if head > 1024, head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
        }
    }

    private var queues: [UInt64: Queue] = [:]
    private(set) var count = 0

    /// The earliest deadline.
    var first: UInt64? { queues.values.lazy.compactMap(\.first).min() }

    /// Adds `token`'s deadline, `at`, no earlier than any deadline added before with `timeout`.
    mutating func push(at: UInt64, timeout: UInt64, token: UInt64) {
        queues[timeout, default: Queue()].items.append((at, token))
        count += 1
    }

    /// Takes out every deadline at or before `now`; their tokens.
    mutating func popDue(_ now: UInt64) -> [UInt64] {
        var due: [UInt64] = []
        for timeout in Array(queues.keys) {
            queues[timeout]!.popDue(now, into: &due)
            if queues[timeout]!.first == nil { queues[timeout] = nil }
        }
        count -= due.count
        return due
    }
}
