/// What `SpyCapture.events()` delivers, in capture order.
public enum SpyEvent: Sendable {
    /// A message was kept (any kind).
    case message(SpyMessage)
    /// A call ended: results, an error status, a timeout, or given up (`SpyCall.outcome`).
    /// Also sent at once for calls whose replies cannot be observed.
    case call(SpyCall)
}
