import Foundation
import LatticeProtocol
@testable import LatticeState
import TestFixtures
import Testing

/// The clock's tick looks only at the hosts whose moment has come and those changed since the
/// last tick (`ClockChecks`, issue #14: at 10,000 hosts the pass over every host took ~24 ms of
/// the UI thread a second); the states it gives equal those of a tick that looks at every host,
/// after every input of random histories (staleness, removals, provider health going stale,
/// expiries: the histories jump minutes ahead now and then).
@Suite struct ClockChecksTests {
    static func compare(seed: UInt64, journalCapacity: Int?) {
        var lattice = RandomLattice(seed: seed)
        var everyHost = LatticeState(), checked = LatticeState()
        everyHost.clockChecks.everyHost = true
        if let journalCapacity { checked.changes = ChangeJournal(capacity: journalCapacity) }
        var ticksThatChanged = 0
        for step in 0..<600 {
            var inputs = [lattice.next()]
            // A tick after every other input, at the history's time.
            if step % 2 == 0 { inputs.append(.tick(RandomLattice.base + lattice.time)) }
            for input in inputs {
                let before = everyHost
                everyHost.apply(input)
                checked.apply(input)
                if case .tick = input, before != everyHost { ticksThatChanged += 1 }
                guard everyHost == checked else {
                    let differing = Set(everyHost.hosts.keys).symmetricDifference(checked.hosts.keys)
                    let changed = everyHost.hosts.filter { id, host in checked.hosts[id].map { $0 != host } ?? false }.keys
                    Issue.record("seed \(seed), step \(step) (\(input)): hosts only in one \(differing), different \(changed)")
                    return
                }
            }
        }
        #expect(ticksThatChanged > 0, "seed \(seed): some tick changed the state")
    }

    @Test(arguments: Array(1...40) as [UInt64]) func aTickOfTheDueAndChangedHostsEqualsATickOfEveryHost(seed: UInt64) {
        Self.compare(seed: seed, journalCapacity: nil)
    }

    /// When the journal has forgotten what changed, the tick looks at every host.
    @Test(arguments: Array(41...50) as [UInt64]) func theSameWithAJournalThatForgets(seed: UInt64) {
        Self.compare(seed: seed, journalCapacity: 2)
    }

    /// The tick's one pass over a host (`clockCheck`) says what `tickIsDue` and
    /// `nextClockMoment` say, for every host of random histories, now and as the clock moves on
    /// (past staleness, health going stale, retentions).
    @Test(arguments: Array(1...20) as [UInt64]) func oneLookAtAHostSaysWhatTheTwoSay(seed: UInt64) {
        var lattice = RandomLattice(seed: seed)
        var state = LatticeState()
        let c = state.configuration
        var due = 0, notDue = 0
        for step in 0..<400 {
            state.apply(lattice.next())
            if step % 3 == 0 { state.apply(.tick(RandomLattice.base + lattice.time)) }
            for (id, host) in state.hosts {
                for later in [0, 1, 29, 31, 61, 71, 301, 901, 3_601, 86_401] as [TimeInterval] {
                    let now = state.now + later
                    let check = LatticeState.clockCheck(for: host, now: now, configuration: c)
                    let isDue = LatticeState.tickIsDue(for: host, now: now, configuration: c)
                    let next = isDue ? nil : LatticeState.nextClockMoment(for: host, after: now, configuration: c)
                    if isDue { due += 1 } else { notDue += 1 }
                    guard check.due == isDue, check.next == next else {
                        Issue.record("seed \(seed), step \(step), host \(id), +\(later) s: \(check) for \((isDue, next))")
                        return
                    }
                }
            }
        }
        #expect(due > 0 && notDue > 0, "seed \(seed): both due and not (\(due), \(notDue))")
    }

    @Test func aLiveHostIsLookedAtWhenItsHeartbeatIsOverdueNotBefore() {
        let beat = { (at: TimeInterval) -> LatticeInput in
            let inventory = HostInventory(components: [], providers: [], hostID: "NA", friendlyName: "a", labels: [:], version: "1.9.2",
                                          uptimeHuman: "", uptimeSeconds: 1)
            return .event(LatticeEvent.make(.hostHeartbeat(inventory), source: "NA", time: RandomLattice.base + at), at: RandomLattice.base + at)
        }
        var state = LatticeState()
        state.apply(beat(0))
        state.apply(.tick(RandomLattice.base + 1))
        #expect(state.clockChecks.count == 1)
        var copy = state.clockChecks
        #expect(copy.due(at: RandomLattice.base + 69).isEmpty, "not before the 70 s")
        #expect(copy.due(at: RandomLattice.base + 70) == ["NA"])
        state.apply(.tick(RandomLattice.base + 71))
        #expect(state.hosts["NA"]?.liveness == .stale(since: RandomLattice.base, reason: .noHeartbeat))
    }

    @Test func dueHostsComeOutInOrderAndReplacedMomentsAreSkipped() {
        var checks = ClockChecks()
        let t = RandomLattice.base
        checks.set("c", t + 30)
        checks.set("a", t + 10)
        checks.set("b", t + 20)
        checks.set("a", t + 40)  // replaced: the entry at 10 is stale
        checks.set("b", nil)     // no moment any more
        #expect(checks.due(at: t + 15).isEmpty)
        #expect(checks.due(at: t + 35) == ["c"])
        #expect(checks.due(at: t + 100) == ["a"])
        #expect(checks.count == 0)
        // Many replacements keep the heap bounded (rebuilt from the moments).
        for i in 0..<5_000 { checks.set("x", t + Double(i)) }
        #expect(checks.due(at: t + 4_998).isEmpty)
        #expect(checks.due(at: t + 4_999) == ["x"])
    }
}
