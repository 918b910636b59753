/// Turns capture events into text lines, timely and one line per call where possible: an
/// invocation is held until its call ends (then one line with the outcome), but never longer
/// than `hold`: after that it is printed with `…` and the outcome follows on its own `↳` line.
/// Replies are not printed separately (their latency is on the call's line).
public struct SpyTextPrinter {
    public var hold: Duration
    private var waiting: [UInt64: (message: SpyMessage, since: ContinuousClock.Instant)] = [:]
    private var printedPending: Set<UInt64> = []
    private static let printedLimit = 100_000

    public init(hold: Duration = .milliseconds(250)) {
        self.hold = hold
    }

    /// Lines for a batch of events (older held invocations come out via `flush`).
    public mutating func lines(for events: [SpyEvent], now: ContinuousClock.Instant = .now) -> [String] {
        var out: [String] = []
        for event in events {
            switch event {
            case .message(let m):
                guard m.kind == .invocation else { continue }
                if m.outcome.isFinal { continue }          // its .call event follows
                waiting[m.sequence] = (m, now)
            case .call(let call):
                let m = call.invocation
                if waiting.removeValue(forKey: m.sequence) != nil || !printedPending.contains(m.sequence) {
                    out.append(SpyTextFormat.line(m))
                } else {
                    printedPending.remove(m.sequence)
                    out.append(SpyTextFormat.followUp(m))
                }
            }
        }
        return out
    }

    /// Lines for invocations held longer than `hold`, oldest first (at most `limit` of them).
    public mutating func flush(now: ContinuousClock.Instant = .now, limit: Int = .max) -> [String] {
        let due = waiting.filter { now - $0.value.since >= hold }.keys.sorted().prefix(limit)
        return due.map { seq in
            let m = waiting.removeValue(forKey: seq)!.message
            if printedPending.count >= Self.printedLimit { printedPending.removeAll() }
            printedPending.insert(seq)
            return SpyTextFormat.line(m)
        }
    }

    /// Invocations still held (their call has not ended).
    public var heldCount: Int { waiting.count }
    /// Invocations printed as pending whose outcome line has not come yet.
    public var openCount: Int { printedPending.count }
}
