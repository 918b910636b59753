/// When the simulator's heartbeats are due: one timer drives every host, and the beats of `hosts`
/// hosts are spread evenly over the interval instead of coming in one burst. Beat `b` (counted
/// from 0 over the simulator's life) is host `b % hosts`'s, due `(b + 1) · interval / hosts`
/// after the start: each host beats exactly once an interval, host `i` first `(i + 1) / hosts`
/// of an interval after the start (a real 1.x host one interval after its own start, §2.3.2 —
/// the last simulated host so, the others earlier, never later).
struct HeartbeatSchedule: Sendable, Equatable {
    let hosts: Int
    let interval: Duration

    /// How long after the start beat `beat` is due.
    func offset(of beat: Int) -> Duration {
        interval * (beat + 1) / max(1, hosts)
    }

    /// The host whose beat `beat` is (its index among the simulator's hosts).
    func host(of beat: Int) -> Int {
        beat % max(1, hosts)
    }

    /// The beats due by `elapsed` after the start, from `next` (the first not yet sent) on.
    func due(from next: Int, by elapsed: Duration) -> Range<Int> {
        guard hosts > 0 else { return next..<next }
        var end = next
        while offset(of: end) <= elapsed { end += 1 }
        return next..<end
    }
}
