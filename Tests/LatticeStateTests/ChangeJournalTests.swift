import Foundation
import LatticeProtocol
@testable import LatticeState
import TestFixtures
import Testing

/// The change journal marks every record an input changed, and the link reports kept up to
/// date from it equal the reports judged from scratch, after every input of random histories.
@Suite struct ChangeJournalTests {
    static let seeds: [UInt64] = Array(1...24)

    @Test(arguments: seeds) func everyChangedRecordIsMarked(seed: UInt64) {
        var lattice = RandomLattice(seed: seed)
        var state = LatticeState()
        for step in 0..<300 {
            let before = state
            state.apply(lattice.next())
            guard let changes = state.changes.changes(since: before.changes.revision) else {
                Issue.record("the journal lost the last revision at step \(step)")
                return
            }
            for id in Set(before.hosts.keys).union(state.hosts.keys) where before.hosts[id] != state.hosts[id] {
                #expect(changes.hosts.contains(id), "seed \(seed) step \(step): host \(id) changed unmarked")
            }
            for (key, record) in state.triage.providers where before.triage.providers[key] != record {
                #expect(changes.hosts.contains(key.hostID), "seed \(seed) step \(step): triage of \(key.providerID) changed unmarked")
            }
            for key in Set(before.links.keys).union(state.links.keys) where before.links[key] != state.links[key] {
                #expect(changes.links.contains(key), "seed \(seed) step \(step): link \(key) changed unmarked")
            }
            for name in Set(before.configs.keys).union(state.configs.keys)
            where (before.configs[name]?.exists == true) != (state.configs[name]?.exists == true) {
                #expect(changes.configs.contains(name), "seed \(seed) step \(step): config \(name) changed unmarked")
            }
            if before.configNamesKnown != state.configNamesKnown { #expect(changes.allLinks) }
        }
    }

    @Test(arguments: seeds) func linkReportsKeptUpToDateEqualAFullRecompute(seed: UInt64) {
        var lattice = RandomLattice(seed: seed)
        var state = LatticeState()
        var index = LinkReportIndex(state)
        var changedSome = false
        for step in 0..<300 {
            // Sometimes several inputs between two updates, as between two frames.
            for _ in 0..<(step % 3 + 1) { state.apply(lattice.next()) }
            let old = index.reports
            let changed = index.update(to: state)
            let fresh = LinkReportIndex(state)
            #expect(index == fresh, "seed \(seed) step \(step)")
            #expect(index.sortedReports == state.linkReports)
            if let changed {
                #expect(changed == Set(old.keys).union(fresh.reports.keys).filter { old[$0] != fresh.reports[$0] },
                        "seed \(seed) step \(step): the changed keys are exactly those whose report changed")
                changedSome = changedSome || !changed.isEmpty
            }
        }
        #expect(changedSome)
    }

    @Test func aJournalThatNoLongerReachesBackSaysSo() {
        var journal = ChangeJournal(capacity: 4)
        journal.advance()
        journal.mark(.host("a"))
        let first = journal.revision
        #expect(journal.changes(since: 0)?.hosts == ["a"])
        for i in 0..<10 {
            journal.advance()
            journal.mark(.host("h\(i)"))
        }
        #expect(journal.changes(since: 0) == nil, "marks after revision 0 were dropped")
        #expect(journal.changes(since: first) == nil)
        #expect(journal.changes(since: journal.revision - 3)?.hosts == ["h7", "h8", "h9"])
        #expect(journal.changes(since: journal.revision)?.isEmpty == true)
        #expect(journal.changes(since: journal.revision + 1) == nil, "not a revision of this journal")
    }
    /// Heartbeats mark the same hosts over and over: the journal keeps one mark per record (its
    /// latest), not one per input, and still reaches back as far as it did.
    @Test func aRecordMarkedAgainKeepsOnlyItsLatestMark() {
        var journal = ChangeJournal(capacity: 1 << 17)
        for i in 0..<300_000 {
            journal.advance()
            journal.mark(.host("h\(i % 100)"))
            if i % 7 == 0 { journal.mark(.host("h\(i % 100)")) }
        }
        #expect(journal.storedMarks <= 2 * 100 + 1, "one mark per host, plus what waits to be compacted")
        #expect(journal.changes(since: 0)?.hosts.count == 100, "nothing was dropped: revision 0 is still reached")
        #expect(journal.changes(since: journal.revision - 30)?.hosts == Set((0..<30).map { "h\((300_000 - 30 + $0) % 100)" }))
        #expect(journal.changes(since: journal.revision)?.isEmpty == true)
    }

    @Test func remarkingFewRecordsNeverLosesReach() {
        var journal = ChangeJournal(capacity: 4)
        for i in 0..<1_000 {
            journal.advance()
            journal.mark(.host(i % 2 == 0 ? "a" : "b"))
            journal.mark(.link(LinkKey(sourceID: "c", witNamespace: "wasi", witPackage: "http", name: "default", target: "p")))
        }
        #expect(journal.changes(since: 0)?.hosts == ["a", "b"])
        #expect(journal.changes(since: 0)?.links.count == 1)
        #expect(journal.changes(since: journal.revision - 1)?.hosts == ["b"])
    }
}
