import Synchronization

/// Request/reply over one wildcard inbox subscription per connection (`<inbox>.*`), as cnats'
/// own request does: each request takes a token, its reply subject is `<inbox>.<token>`, and the
/// replies are routed to the waiting requests by subject. One subscription (and one cnats delivery
/// thread) for every request, however many are in flight — not a subscription, a SUB and an UNSUB
/// each (10,000 `host.get` at once are 10,000 of those). Replies are routed on the cnats thread
/// as they arrive: a reply in time is never late for want of a task to route it (with thousands
/// of requests decoding their replies, the task pool may be busy for seconds).
final class RequestMux: Sendable {
    private enum Slot {
        /// Sent, not waited for yet.
        case reserved
        case waiting(CheckedContinuation<NATSMessage?, Never>)
        /// The reply (nil: timed out, cancelled or the subscription ended) before anyone waited.
        case done(NATSMessage?)
    }

    private struct State {
        var subscription: NATSSubscription?
        var prefix = ""
        var next: UInt64 = 0
        var slots: [UInt64: Slot] = [:]
    }

    private let state = Mutex(State())

    /// A token for a new request and its reply subject; subscribes on first use (or again after
    /// the subscription ended).
    func reserve(on connection: NATSConnection) throws(NATSError) -> (token: UInt64, reply: String) {
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
            s.slots[s.next] = .reserved
            return .success((s.next, s.prefix + String(s.next)))
        }
        let (token, reply) = try result.get()
        return (token, reply)
    }

    /// The reply to `token`'s request (nil: none came before `finish`).
    func wait(_ token: UInt64) async -> NATSMessage? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<NATSMessage?, Never>) in
                let ready: NATSMessage?? = state.withLock { s in
                    switch s.slots[token] {
                    case .done(let reply):
                        s.slots[token] = nil
                        return .some(reply)
                    case .reserved:
                        if Task.isCancelled {
                            s.slots[token] = nil
                            return .some(nil)
                        }
                        s.slots[token] = .waiting(c)
                        return nil
                    case .waiting, nil:
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
        let waiter: CheckedContinuation<NATSMessage?, Never>? = state.withLock { s in
            switch s.slots[token] {
            case .reserved:
                s.slots[token] = .done(reply)
                return nil
            case .waiting(let c):
                s.slots[token] = nil
                return c
            case .done, nil:
                return nil
            }
        }
        waiter?.resume(returning: reply)
    }

    /// Whether `token`'s request is still waiting for its reply.
    func isOpen(_ token: UInt64) -> Bool {
        state.withLock { s in
            switch s.slots[token] {
            case .reserved, .waiting: return true
            case .done, nil: return false
            }
        }
    }

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
}
