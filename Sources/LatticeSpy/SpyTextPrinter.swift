import DequeModule
import Foundation
import LatticeProtocol

/// Turns capture events into text lines, timely and one line per call where possible: an
/// invocation is held until its call ends (then one line with the outcome), but never longer
/// than `hold`: after that it is printed with `…` and the outcome follows on its own `↳` line.
/// Replies are not printed separately (their latency is on the call's line).
///
/// Memory is bounded whatever the traffic: at most `heldLimit` invocations are held (beyond that
/// the oldest is printed as pending at once), and at most `openLimit` printed-pending calls are
/// remembered for their `↳` follow-up (beyond that the oldest is forgotten, and its outcome, if it
/// ever comes, is printed as a line of its own).
public struct SpyTextPrinter {
    public var hold: Duration
    /// The zone of the lines' clock times, read once (`TZ`): reading the environment per line
    /// cost more than formatting it.
    public let timeZone: TimeZone
    public let heldLimit: Int
    public let openLimit: Int
    private var waiting: [UInt64: (message: SpyMessage, since: ContinuousClock.Instant)] = [:]
    /// Held sequences in arrival order; entries whose call ended are skipped lazily.
    private var arrivals = Deque<UInt64>()
    private var printedPending: Set<UInt64> = []
    private var printedOrder = Deque<UInt64>()

    /// Above the capture's pending-call table (`SpyConfiguration.maxPendingCalls`, 10,000): a
    /// call that never ends is given up (and printed once, with its outcome) before it would be
    /// printed pending here, so a flood of unanswered calls costs one line per call, not two.
    public static let defaultHeldLimit = 16_384
    public static let defaultOpenLimit = 16_384

    public init(hold: Duration = .milliseconds(250), heldLimit: Int = Self.defaultHeldLimit, openLimit: Int = Self.defaultOpenLimit,
                timeZone: TimeZone = ClockText.zone()) {
        self.hold = hold
        self.timeZone = timeZone
        self.heldLimit = max(1, heldLimit)
        self.openLimit = max(1, openLimit)
    }

    /// Lines for a batch of events (older held invocations come out via `flush`, or here once
    /// more than `heldLimit` are held).
    public mutating func lines(for events: [SpyEvent], now: ContinuousClock.Instant = .now) -> [String] {
        var out: [String] = []
        for event in events {
            switch event {
            case .message(let m):
                guard m.kind == .invocation else { continue }
                if m.outcome.isFinal { continue }          // its .call event follows
                if waiting.updateValue((m, now), forKey: m.sequence) == nil { arrivals.append(m.sequence) }
                while waiting.count > heldLimit, let line = printOldestPending() { out.append(line) }
            case .call(let call):
                let m = call.invocation
                if waiting.removeValue(forKey: m.sequence) != nil || !printedPending.contains(m.sequence) {
                    out.append(SpyTextFormat.line(m, timeZone: timeZone))
                } else {
                    printedPending.remove(m.sequence)
                    out.append(SpyTextFormat.followUp(m))
                }
            }
            compactArrivals()
        }
        return out
    }

    /// Lines for invocations held longer than `hold`, oldest first (at most `limit` of them).
    public mutating func flush(now: ContinuousClock.Instant = .now, limit: Int = .max) -> [String] {
        var out: [String] = []
        while out.count < limit {
            compactArrivals()
            guard let seq = arrivals.first, let held = waiting[seq], now - held.since >= hold else { break }
            if let line = printOldestPending() { out.append(line) }
        }
        return out
    }

    /// Prints the oldest held invocation as pending and remembers it for its follow-up line.
    private mutating func printOldestPending() -> String? {
        compactArrivals()
        guard let seq = arrivals.popFirst(), let held = waiting.removeValue(forKey: seq) else { return nil }
        if printedPending.insert(seq).inserted {
            printedOrder.append(seq)
            while printedPending.count > openLimit, let oldest = printedOrder.popFirst() {
                printedPending.remove(oldest)
            }
        }
        return SpyTextFormat.line(held.message, timeZone: timeZone)
    }

    /// Drops ended calls from the front of the arrival queues, and rebuilds them when mostly stale.
    private mutating func compactArrivals() {
        while let first = arrivals.first, waiting[first] == nil { arrivals.removeFirst() }
        if arrivals.count > 2 * max(waiting.count, heldLimit) {
            arrivals = Deque(arrivals.filter { waiting[$0] != nil })
        }
        while let first = printedOrder.first, !printedPending.contains(first) { printedOrder.removeFirst() }
        if printedOrder.count > 2 * max(printedPending.count, openLimit) {
            printedOrder = Deque(printedOrder.filter { printedPending.contains($0) })
        }
    }

    /// Invocations still held (their call has not ended).
    public var heldCount: Int { waiting.count }
    /// Invocations printed as pending whose outcome line has not come yet.
    public var openCount: Int { printedPending.count }
}
