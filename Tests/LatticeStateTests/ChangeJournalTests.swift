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
            // Changed as shown: a heartbeat repeating what is known changes facts only, and marks nothing.
            for id in Set(before.hosts.keys).union(state.hosts.keys) {
                let (old, new) = (before.hosts[id], state.hosts[id])
                let same = old.flatMap { old in new.map { old.showsSame(as: $0) } } ?? (old == nil && new == nil)
                if !same { #expect(changes.hosts.contains(id), "seed \(seed) step \(step): host \(id) changed unmarked") }
                // What a Hosts row reads is marked as the host's own change, not only its workloads'.
                let ownSame = old.map { ($0.ownFields, $0.components.count, $0.providers.count, $0.visibleComponentCount) }
                    .flatMap { o in new.map { o == ($0.ownFields, $0.components.count, $0.providers.count, $0.visibleComponentCount) } }
                    ?? (old == nil && new == nil)
                if !ownSame {
                    #expect(changes.hostsThemselves.contains(id), "seed \(seed) step \(step): host \(id)'s own fields changed unmarked")
                }
            }
            // A triage record shows its incidents (the rest judges the next event).
            for (key, record) in state.triage.providers where before.triage.providers[key]?.incidents ?? [] != record.incidents {
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

    /// The partial gatherings (what the Hosts pane and the header ask of each frame) are the
    /// matching parts of the whole, over spans of several inputs.
    @Test(arguments: seeds) func hostsAndLinksAloneArePartsOfTheChanges(seed: UInt64) {
        var lattice = RandomLattice(seed: seed)
        var state = LatticeState()
        var workloadsOnly = false
        for step in 0..<300 {
            let revision = state.changes.revision
            for _ in 0..<(step % 4 + 1) { state.apply(lattice.next()) }
            let changes = state.changes.changes(since: revision)
            #expect(state.changes.hosts(since: revision, includingWorkloads: true) == changes?.hosts, "seed \(seed) step \(step)")
            #expect(state.changes.hosts(since: revision, includingWorkloads: false) == changes?.hostsThemselves, "seed \(seed) step \(step)")
            #expect(state.changes.linkChanges(since: revision) == changes?.links, "seed \(seed) step \(step)")
            var walked: [LinkKey] = []
            let known = state.changes.forEachLinkChange(since: revision) { walked.append($0) }
            #expect(known == (changes != nil) && Set(walked) == (changes?.links ?? []), "seed \(seed) step \(step)")
            #expect(walked.count == Set(walked).count, "each link once, seed \(seed) step \(step)")
            if let changes, changes.hosts != changes.hostsThemselves { workloadsOnly = true }
        }
        #expect(state.changes.hosts(since: state.changes.revision + 1, includingWorkloads: true) == nil)
        #expect(!state.changes.forEachLinkChange(since: state.changes.revision + 1) { _ in Issue.record("called for an unknown span") })
        #expect(workloadsOnly, "seed \(seed): some span marks a host's workloads only")
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

    /// At 10,000 hosts a heartbeat comes every 3 ms, nearly always repeating what is known but
    /// for a new uptime: it marks nothing (no view rebuilds the host's rows) and highlights
    /// nothing, while a heartbeat that changes what is shown still marks the host.
    @Test func aHeartbeatRepeatingWhatIsKnownMarksNothing() throws {
        let c = In.component("c1"), p = In.provider("p1")
        var state = LatticeState([In.heartbeat(In.h1, at: 0, components: [c], providers: [p], labels: ["zone": "a"])])
        let changedAt = try #require(state.hosts[In.h1]?.changedAt)
        func marks(_ input: LatticeInput) -> Set<String> {
            let revision = state.changes.revision
            state.apply(input)
            return state.changes.changes(since: revision)?.hosts ?? ["(journal lost)"]
        }
        // The same inventory, the uptime of the same start (whole seconds, sent a bit late).
        #expect(marks(In.heartbeat(In.h1, at: 30.7, components: [c], providers: [p], labels: ["zone": "a"], uptime: 30)).isEmpty)
        #expect(marks(.inventory(In.inventory(In.h1, components: [c], providers: [p], labels: ["zone": "a"], uptime: 45),
                                 syncID: 1, at: TestTime.at(45.4))).isEmpty, "a sync's host.get")
        #expect(state.hosts[In.h1]?.changedAt == changedAt, "not highlighted as changed")
        #expect(state.hosts[In.h1]?.uptimeSeconds == 45, "the latest uptime is kept")
        #expect(state.hosts[In.h1]?.lastSeen == TestTime.at(45.4))
        // What is shown changes: labels, a component's scale, a restart (a new start), a new provider.
        #expect(marks(In.heartbeat(In.h1, at: 60, components: [c], providers: [p], labels: ["zone": "b"])) == [In.h1])
        #expect(state.hosts[In.h1]?.changedAt == TestTime.at(60.1))
        #expect(marks(In.heartbeat(In.h1, at: 90, components: [In.component("c1", count: 3)], providers: [p], labels: ["zone": "b"])) == [In.h1])
        #expect(marks(In.heartbeat(In.h1, at: 120, components: [In.component("c1", count: 3)], providers: [p], labels: ["zone": "b"],
                                   uptime: 5)) == [In.h1], "restarted: the uptime implies another start")
        #expect(marks(In.heartbeat(In.h1, at: 150, components: [In.component("c1", count: 3)], providers: [p, In.provider("p2")],
                                   labels: ["zone": "b"], uptime: 35)) == [In.h1])
        // A host that went stale and heartbeats again is shown live again.
        state.apply(In.tick(400))
        #expect(state.hosts[In.h1]?.liveness.isLive == false)
        #expect(marks(In.heartbeat(In.h1, at: 401, components: [In.component("c1", count: 3)], providers: [p, In.provider("p2")],
                                   labels: ["zone": "b"], uptime: 286)) == [In.h1])
        #expect(state.hosts[In.h1]?.liveness.isLive == true)
    }

    /// A health status report (`health_check_status`, sent every 30 s) that changes nothing is
    /// not a change of the provider: nothing is marked and its row is not highlighted for it.
    @Test func aRepeatedHealthReportDoesNotHighlightTheProvider() throws {
        var state = LatticeState([In.heartbeat(In.h1, at: 0, providers: [In.provider("p1")]),
                                  In.health(.passed, In.h1, "p1", at: 1)])
        let changedAt = try #require(state.hosts[In.h1]?.providers["p1"]?.changedAt)
        var revision = state.changes.revision
        state.apply(In.health(.status, In.h1, "p1", at: 31))
        #expect(state.changes.changes(since: revision)?.hosts == [], "nothing shown changed: nothing marked")
        #expect(state.hosts[In.h1]?.providers["p1"]?.changedAt == changedAt)
        #expect(state.hosts[In.h1]?.providers["p1"]?.lastEventAt == TestTime.at(31))
        revision = state.changes.revision
        state.apply(In.health(.failed, In.h1, "p1", at: 61))
        #expect(state.changes.changes(since: revision)?.hosts == [In.h1])
        #expect(state.changes.changes(since: revision)?.hostsThemselves == [], "its host's own fields are as they were")
        #expect(state.hosts[In.h1]?.providers["p1"]?.changedAt == TestTime.at(61.1), "a new verdict is a change")
    }

    /// latticetop probes every running provider; an answer that repeats the last one changes
    /// nothing shown and marks nothing, a different one marks the host's workloads.
    @Test func aRepeatedProbeAnswerMarksNothing() {
        var state = LatticeState([In.heartbeat(In.h1, at: 0, providers: [In.provider("p1")])])
        func marks(_ input: LatticeInput) -> ChangeSet? {
            let revision = state.changes.revision
            state.apply(input)
            return state.changes.changes(since: revision)
        }
        #expect(marks(.healthProbe(providerID: "p1", outcome: .healthy(message: nil), at: TestTime.at(1)))?.hosts == [In.h1])
        #expect(marks(.healthProbe(providerID: "p1", outcome: .healthy(message: nil), at: TestTime.at(31)))?.hosts == [])
        let failed = marks(.healthProbe(providerID: "p1", outcome: .unhealthy(message: "down"), at: TestTime.at(61)))
        #expect(failed?.hosts == [In.h1] && failed?.hostsThemselves == [])
        #expect(state.hosts[In.h1]?.providers["p1"]?.health == .unhealthy(since: TestTime.at(61)))
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
