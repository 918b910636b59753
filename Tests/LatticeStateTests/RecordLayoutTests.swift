import Foundation
@testable import LatticeState
import Testing

/// The model's records stay small inline (issue #14 item 4): a 10,000-host lattice holds 10,000
/// host records, 50,000 component and 20,000 provider records in hash tables with spare slots,
/// and a snapshot copies the tables; 20,000 links. Their facts and rarely changing parts live out of line.
@Suite struct RecordLayoutTests {
    /// Before the facts moved out of line: host 1,240 bytes, component 680, provider 1,016, link
    /// 816; after: 96, 192, 248, 336.
    @Test func recordsAreSmallInline() {
        #expect(MemoryLayout<HostRecord>.size <= 128, "HostRecord is \(MemoryLayout<HostRecord>.size) bytes inline")
        #expect(MemoryLayout<ComponentRecord>.size <= 256, "ComponentRecord is \(MemoryLayout<ComponentRecord>.size) bytes inline")
        #expect(MemoryLayout<ProviderRecord>.size <= 256, "ProviderRecord is \(MemoryLayout<ProviderRecord>.size) bytes inline")
        #expect(MemoryLayout<LinkRecord>.size <= 384, "LinkRecord is \(MemoryLayout<LinkRecord>.size) bytes inline")
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
