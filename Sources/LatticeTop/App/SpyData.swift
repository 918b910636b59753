import Foundation
import LatticeSpy
import Synchronization

/// What the Spy screens and the provider inspector show of the running capture: an immutable
/// value taken on the capture side (`SpyFeed`) and handed to the UI loop as an input. Screens
/// build from it; nothing on the UI thread reads the live capture.
struct SpyData: Sendable {
    /// Increases with every value handed over (across captures), so a view built from one is
    /// known to be current (`ViewCache.Key.spy`).
    var revision: UInt64
    /// "lattice-wide" or "on COMPONENT".
    var scope: String
    /// The newest messages (at most `SpyFeed.messageLimit`), operations, rates and counters.
    var snapshot: SpySnapshot
    /// The message the UI asked about (`SpyInterest.message`), with its full payload while the
    /// capture still holds it.
    var focus: Focus?

    struct Focus: Sendable {
        var sequence: UInt64
        /// Nil: no longer in the ring.
        var message: SpyMessage?
        var detail: SpyMessageDetail?
    }

    /// Takes a snapshot of `capture` (under its lock, on the calling thread: the capture side).
    static func taken(from capture: SpyCapture, scope: String, revision: UInt64, focus: UInt64? = nil) -> SpyData {
        SpyData(revision: revision, scope: scope, snapshot: capture.snapshot(limit: SpyFeed.messageLimit),
                focus: focus.map { Focus(sequence: $0, message: capture.message(sequence: $0), detail: capture.detail(sequence: $0)) })
    }
}

/// What the UI wants of the spy feed: frames while a screen that shows it is up (`live`), and
/// the detail of one message (the message drill-down). The loop sends it as an effect when it
/// changes (`AppEffect.spyInterest`).
struct SpyInterest: Sendable, Equatable {
    var live = false
    var message: UInt64?
}

/// When the feed takes a snapshot (pure: the caller gives it the capture's counters and the
/// clock). A snapshot is due when the capture changed (its counters, its pause, the message
/// asked about) or, while traffic was seen in the rate window, when the second turned (the rate
/// sparkline moves); at most one per `SpyFeed.interval` while a spy screen is shown and one a
/// second otherwise; and not while the loop has not taken the last one (at most one in flight,
/// so a loop that is away cannot pile snapshots up; after two seconds one more goes, in case
/// the last was lost).
struct SpyFeedPolicy: Sendable {
    struct Seen: Sendable, Equatable {
        var counters: SpyCounters
        var paused: Bool
        var message: UInt64?
        var second: Int64
        /// The last snapshot's rate series had traffic in it (it changes as seconds pass).
        var ratesMoving: Bool
    }

    private(set) var last: Seen?
    /// The revision of the last snapshot handed over.
    private(set) var sent: UInt64 = 0

    func due(counters: SpyCounters, paused: Bool, interest: SpyInterest, second: Int64, taken: UInt64) -> Bool {
        guard let last else { return true }
        guard taken >= sent || second >= last.second + 2 else { return false }
        if interest.message != last.message || paused != last.paused { return true }
        let changed = counters != last.counters || (second != last.second && last.ratesMoving)
        guard changed else { return false }
        return interest.live || second != last.second
    }

    mutating func sent(_ data: SpyData, message: UInt64?, second: Int64) {
        sent = data.revision
        last = Seen(counters: data.snapshot.counters, paused: data.snapshot.isPaused, message: message, second: second,
                    ratesMoving: data.snapshot.messagesPerSecond.contains { $0 > 0 })
    }
}

/// The capture side of the spy's hand-over: polls a running capture's counters (cheap) every
/// `interval` and, when `SpyFeedPolicy` says so, takes a `SpyData` snapshot for the loop.
final class SpyFeed: Sendable {
    /// The most messages a snapshot carries: what the Spy pane lists.
    static let messageLimit = 2000
    /// At most one snapshot a frame (the loop draws at most ~30 frames a second).
    static let interval = Duration.milliseconds(33)

    let capture: SpyCapture
    let scope: String
    private let state: Mutex<(policy: SpyFeedPolicy, interest: SpyInterest, revision: UInt64)>

    /// `revision`: the last revision handed over by any feed (revisions keep increasing).
    init(capture: SpyCapture, scope: String, revision: UInt64, interest: SpyInterest) {
        self.capture = capture
        self.scope = scope
        state = Mutex((SpyFeedPolicy(), interest, revision))
    }

    var interest: SpyInterest {
        get { state.withLock { $0.interest } }
        set { state.withLock { $0.interest = newValue } }
    }

    /// The last revision handed over.
    var revision: UInt64 { state.withLock { $0.revision } }

    /// A snapshot when one is due, given the revision the loop took last.
    func next(now: Date, taken: UInt64) -> SpyData? {
        let counters = capture.counters
        let paused = capture.isPaused
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        let (due, interest, revision) = state.withLock { s in
            (s.policy.due(counters: counters, paused: paused, interest: s.interest, second: second, taken: taken), s.interest, s.revision)
        }
        guard due else { return nil }
        let data = SpyData.taken(from: capture, scope: scope, revision: revision + 1, focus: interest.message)
        state.withLock { s in
            s.revision = data.revision
            s.policy.sent(data, message: interest.message, second: second)
        }
        return data
    }
}
