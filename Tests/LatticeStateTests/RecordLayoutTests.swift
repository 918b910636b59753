import Foundation
@testable import LatticeState
import Testing

/// The model's records stay small inline (issue #14 item 4): a 10,000-host lattice holds 10,000
/// host records, 50,000 component and 20,000 provider records in hash tables with spare slots,
/// and a snapshot copies the tables; 20,000 links. Their facts and rarely changing parts live out of line.
@Suite struct RecordLayoutTests {
    /// Before the facts moved out of line: host 1,240 bytes, component 680, provider 1,016, link
    /// 816; after: 96, 192, 248, 336; with the rarely set failure and refusal out of line too:
    /// 96, 152, 216, 216.
    @Test func recordsAreSmallInline() {
        #expect(MemoryLayout<HostRecord>.size <= 128, "HostRecord is \(MemoryLayout<HostRecord>.size) bytes inline")
        #expect(MemoryLayout<ComponentRecord>.size <= 160, "ComponentRecord is \(MemoryLayout<ComponentRecord>.size) bytes inline")
        #expect(MemoryLayout<ProviderRecord>.size <= 224, "ProviderRecord is \(MemoryLayout<ProviderRecord>.size) bytes inline")
        #expect(MemoryLayout<LinkRecord>.size <= 224, "LinkRecord is \(MemoryLayout<LinkRecord>.size) bytes inline")
    }

    /// The facts boxes hold only what a record known from inventories and listings has; the
    /// event facts most records never get are out of line and only when set. Before (bytes
    /// a box): component facts 496, provider 776, host 824, link 488 (and the link record's
    /// refusal inline, 336 a slot of the link table); after: 128, 288, 392, 304 (216).
    @Test func rarelySetFactsTakeNoRoomInTheFactsBoxes() {
        #expect(MemoryLayout<ComponentFacts>.size <= 160, "ComponentFacts is \(MemoryLayout<ComponentFacts>.size) bytes")
        #expect(MemoryLayout<ProviderFacts>.size <= 320, "ProviderFacts is \(MemoryLayout<ProviderFacts>.size) bytes")
        #expect(MemoryLayout<HostFacts>.size <= 400, "HostFacts is \(MemoryLayout<HostFacts>.size) bytes")
        #expect(MemoryLayout<LinkFacts>.size <= 320, "LinkFacts is \(MemoryLayout<LinkFacts>.size) bytes")
    }

    /// Records known from a heartbeat and a listing keep no box for the rare facts; an event
    /// that sets one makes the box, and reads see it as before.
    @Test func rareFactsAreBoxedOnlyWhenSet() throws {
        let link = In.link("c1", "p1")
        var state = LatticeState([In.heartbeat(In.h1, at: 0, components: [In.component("c1")], providers: [In.provider("p1")]),
                                  .links([link], syncID: 1, at: TestTime.at(1))])
        var host = try #require(state.hosts[In.h1])
        #expect(!host.facts.keepsRareFacts)
        #expect(try !#require(host.components["c1"]).facts.keepsEventFacts)
        #expect(try !#require(host.providers["p1"]).facts.keepsLifecycleFacts)
        #expect(try !#require(state.links[LinkKey(link)]).facts.keepsRareFacts)

        state.apply(In.scaled(In.h1, "c1", count: 3, at: 2))
        state.apply(In.providerStopped(In.h1, "p1", at: 3))
        state.apply(In.linkRefused(In.link("c1", "p1", interfaces: ["other"]), error: "no", at: 4))
        state.apply(In.linkDeleted(link, withTarget: true, at: 5))
        state.apply(In.hostStarted(In.h1, at: 6, labels: ["zone": "a"]))
        host = try #require(state.hosts[In.h1])
        #expect(host.facts.keepsRareFacts && host.facts.started != nil)
        let component = try #require(host.components["c1"])
        #expect(component.facts.keepsEventFacts && component.facts.scaled?.value.maxInstances == 3)
        #expect(component.facts.recentScaled.count == 1 && component.maxInstances == 3)
        let provider = try #require(host.providers["p1"])
        #expect(provider.facts.keepsLifecycleFacts && provider.facts.stopped != nil && !provider.status.isRunning)
        let deleted = try #require(state.links[LinkKey(link)])
        #expect(deleted.facts.keepsRareFacts && deleted.facts.deleted != nil && !deleted.isPresent)
        let refused = try #require(state.links[LinkKey(In.link("c1", "p1", interfaces: ["other"]))])
        #expect(refused.facts.refused?.value.error == "no" && refused.refusal?.error == "no" && refused.isVisible)
    }

    @Test func anEmptiedRareValueDropsItsBox() {
        var rare = OutOfLineWhenSet<RareLinkFacts>()
        #expect(!rare.isKept && rare.value.isEmpty)
        rare.value.deleted = Stamp(time: TestTime.at(1), tiebreak: "x")
        #expect(rare.isKept && rare.value.deleted?.tiebreak == "x")
        let copy = rare
        rare.value.deleted = nil
        #expect(!rare.isKept && copy.isKept && copy.value.deleted != nil)
        #expect(rare == OutOfLineWhenSet<RareLinkFacts>())
    }

    @Test func outOfLineValuesAreCopiedOnWrite() {
        var original = OutOfLine(wrappedValue: [1, 2, 3])
        var copy = original
        #expect(copy.sharesStorage(with: original))
        copy.wrappedValue.append(4)
        #expect(!copy.sharesStorage(with: original))
        #expect(original.wrappedValue == [1, 2, 3])
        #expect(copy.wrappedValue == [1, 2, 3, 4])
        // A value changed in place while it is the only holder keeps its box.
        var alone = original
        original = OutOfLine(wrappedValue: [])
        let before = alone
        alone.wrappedValue[0] = 9
        #expect(alone.wrappedValue == [9, 2, 3] && before.wrappedValue == [1, 2, 3])
        #expect(copy != alone && OutOfLine(wrappedValue: [9, 2, 3]) == alone)
    }

    /// A heartbeat that repeats what is known changes a host record's copy without touching the
    /// record it was copied from (a kept snapshot).
    @Test func aSnapshotIsNotChangedByLaterInputs() {
        let c = In.component("c1"), p = In.provider("p1")
        var state = LatticeState([In.heartbeat(In.h1, at: 0, components: [c], providers: [p], labels: ["zone": "a"])])
        let snapshot = state
        state.apply(In.heartbeat(In.h1, at: 30, components: [c], providers: [p], labels: ["zone": "b"]))
        state.apply(In.scaled(In.h1, "c1", count: 0, at: 31))
        #expect(snapshot.hosts[In.h1]?.labels == ["zone": "a"])
        #expect(snapshot.hosts[In.h1]?.uptimeSeconds == 0)
        #expect(snapshot.hosts[In.h1]?.components["c1"]?.status == .running)
        #expect(state.hosts[In.h1]?.labels == ["zone": "b"])
        #expect(state.hosts[In.h1]?.uptimeSeconds == 30)
        #expect(state.hosts[In.h1]?.components["c1"]?.isVisible == false)
    }
}
