import Foundation
import HeapModule

/// When each host next needs the clock's tick (`LatticeState.applyTick`): the earliest moment at
/// which time alone changes it — its liveness turns stale, a provider's health goes stale, a
/// stopped provider, a failed or removed component, or the host itself is kept no longer. The
/// tick looks at the hosts whose moment has come and at those the change journal marked since
/// the last tick (an input that changes what a host shows can bring its moment forward: a new
/// provider, a component removed, the host stopped), not at every host every second (at 10,000
/// hosts that pass took ~24 ms of the UI thread a second). Not part of the state's value: two
/// states equal in everything else are equal whatever their clock checks.
struct ClockChecks: Sendable, Equatable {
    /// The change journal's revision whose marks were taken into account.
    var revision: UInt64 = 0
    /// Every tick looks at every host, as before these checks (for tests comparing the two).
    var everyHost = false
    /// Each host's moment (absent: time alone does not change it).
    private var moments: [String: Date] = [:]
    /// The moments, earliest first; an entry that is no longer its host's moment is skipped.
    private var heap = Heap<Entry>()

    private struct Entry: Comparable {
        var moment: Date
        var host: String
        static func < (a: Entry, b: Entry) -> Bool { (a.moment, a.host) < (b.moment, b.host) }
    }

    /// Hosts with a moment.
    var count: Int { moments.count }

    /// `host`'s moment is now `moment` (nil: none).
    mutating func set(_ host: String, _ moment: Date?) {
        // One look-up in `moments` (the tick sets the moment of ~10,000 hosts during a first sync).
        guard let moment else {
            moments.removeValue(forKey: host)
            return
        }
        guard moments.updateValue(moment, forKey: host) != moment else { return }
        heap.insert(Entry(moment: moment, host: host))
        // Entries replaced by later moments linger until theirs comes: rebuild now and then.
        if heap.count > 2 * moments.count + 1024 {
            heap = Heap(moments.map { Entry(moment: $0.value, host: $0.key) })
        }
    }

    /// The hosts whose moment is at or before `now`; their moments are forgotten.
    mutating func due(at now: Date) -> [String] {
        var hosts: [String] = []
        while let top = heap.min, top.moment <= now {
            heap.removeMin()
            if moments[top.host] == top.moment {
                moments[top.host] = nil
                hosts.append(top.host)
            }
        }
        return hosts
    }

    static func == (a: ClockChecks, b: ClockChecks) -> Bool { true }
}
