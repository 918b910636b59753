/// Decides when to draw: at most `maxFramesPerSecond`, and never when nothing changed. Pure: the
/// caller passes the time (any monotonic clock, e.g. `ContinuousClock.now - start`).
///
/// ```swift
/// coalescer.markDirty()                          // state changed (NATS batch, key, tick)
/// if coalescer.shouldRender(now: elapsed) { backend.present(view(state)) }
/// let wait = coalescer.timeUntilNextFrame(now: elapsed) ?? idleTimeout
/// ```
public struct FrameCoalescer: Hashable, Sendable {
    public let minimumInterval: Duration
    public private(set) var isDirty: Bool
    public private(set) var lastFrame: Duration?

    public init(maxFramesPerSecond: Int = 30) {
        minimumInterval = .nanoseconds(1_000_000_000 / Int64(max(1, maxFramesPerSecond)))
        isDirty = true   // the first frame always draws
        lastFrame = nil
    }

    public mutating func markDirty() {
        isDirty = true
    }

    /// True when a frame should be drawn now; it is then counted as drawn at `now`. `pace`: for
    /// this frame, at least that long since the last one (when longer than `minimumInterval`).
    public mutating func shouldRender(now: Duration, pace: Duration? = nil) -> Bool {
        guard isDirty else { return false }
        if let lastFrame, now - lastFrame < interval(pace) { return false }
        isDirty = false
        lastFrame = now
        return true
    }

    /// `markDirty()` when `dirty`, then `shouldRender(now:pace:)`.
    public mutating func shouldRender(dirty: Bool, now: Duration, pace: Duration? = nil) -> Bool {
        if dirty { markDirty() }
        return shouldRender(now: now, pace: pace)
    }

    /// How long until a pending frame may be drawn (zero if now; `pace` as for
    /// `shouldRender(now:pace:)`); nil when nothing is pending.
    public func timeUntilNextFrame(now: Duration, pace: Duration? = nil) -> Duration? {
        guard isDirty else { return nil }
        guard let lastFrame else { return .zero }
        let due = lastFrame + interval(pace)
        return due > now ? due - now : .zero
    }

    private func interval(_ pace: Duration?) -> Duration {
        pace.map { max($0, minimumInterval) } ?? minimumInterval
    }
}
