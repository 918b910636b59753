/// Calls whose results have begun. wRPC can send the results in several messages and closes
/// every stream with an empty message (the results on `<reply>.results`, the parameters on
/// `<server inbox>.params`), so inbox messages still arrive for a call after its first results:
/// they belong to it, not to "unmatched". Bounded in count; entries go after `window`.
struct ClosingCalls: Sendable {
    struct Call: Sendable {
        /// The ring position of the call's first results message (later chunks add to its size).
        var resultsPosition: UInt64
        var serverInbox: String?
        var deadline: ContinuousClock.Instant
        /// Until their empty closing message: the results, and the parameters (when the server
        /// gave an inbox for them).
        var resultsOpen = true
        var parametersOpen: Bool
    }

    private var byReply: [String: Call] = [:]
    private var replyByServerInbox: [String: String] = [:]
    private var order: [(reply: String, deadline: ContinuousClock.Instant)] = []
    private var head = 0
    let limit: Int
    let window: Duration

    init(limit: Int, window: Duration) {
        self.limit = max(1, limit)
        self.window = window
    }

    var count: Int { byReply.count }

    mutating func add(reply: String, resultsPosition: UInt64, serverInbox: String?, now: ContinuousClock.Instant) {
        if byReply.count >= limit, let oldest = nextLive() { remove(oldest) }
        byReply[reply] = Call(resultsPosition: resultsPosition, serverInbox: serverInbox, deadline: now + window,
                              parametersOpen: serverInbox != nil)
        if let serverInbox { replyByServerInbox[serverInbox] = reply }
        order.append((reply, now + window))
    }

    /// The call whose results stream on `reply` is still open; an empty message (the close)
    /// ends that stream.
    mutating func results(on reply: String, closing: Bool) -> Call? {
        guard let call = byReply[reply], call.resultsOpen else { return nil }
        if closing {
            byReply[reply]?.resultsOpen = false
            if !call.parametersOpen { remove(reply) }
        }
        return call
    }

    /// Whether a parameter message on `serverInbox` belongs to a call here; an empty one (the
    /// close) ends that stream.
    mutating func parameters(on serverInbox: String, closing: Bool) -> Bool {
        guard let reply = replyByServerInbox[serverInbox], let call = byReply[reply], call.parametersOpen else { return false }
        if closing {
            byReply[reply]?.parametersOpen = false
            if !call.resultsOpen { remove(reply) }
        }
        return true
    }

    mutating func expire(now: ContinuousClock.Instant) {
        while head < order.count, order[head].deadline <= now {
            let e = order[head]
            head += 1
            if let call = byReply[e.reply], call.deadline == e.deadline { remove(e.reply) }
        }
        if head > 1024 && head > order.count / 2 {
            order.removeFirst(head)
            head = 0
        }
    }

    private mutating func nextLive() -> String? {
        while head < order.count {
            let e = order[head]
            if byReply[e.reply]?.deadline == e.deadline { return e.reply }
            head += 1
        }
        return byReply.keys.first
    }

    private mutating func remove(_ reply: String) {
        guard let call = byReply.removeValue(forKey: reply) else { return }
        if let s = call.serverInbox { replyByServerInbox.removeValue(forKey: s) }
    }
}
