/// What `SpyCapture.events()` delivers, in capture order.
public enum SpyEvent: Sendable {
    /// A message was kept (any kind).
    case message(SpyMessage)
    /// A call ended: results, an error status, a timeout, or given up (`SpyCall.outcome`).
    /// Also sent at once for calls whose replies cannot be observed.
    case call(SpyCall)
}

extension Sequence<SpyEvent> {
    /// The captured messages in these events (a call's end is not a message).
    public var messageCount: Int {
        reduce(0) { n, event in
            if case .message = event { return n + 1 }
            return n
        }
    }
}
