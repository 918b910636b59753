import Foundation
import LatticeProtocol
@testable import LatticeState
import Testing

/// A link's key is one pointer to a box of its five strings and their hash, shared by every table
/// that holds it (the link table, the listing's snapshot, the change journal; 20,000 links at
/// 10,000 hosts), instead of 88 bytes inline in each of their slots (Benchmarks/README.md,
/// "Memory at scale").
@Suite struct LinkKeyStorageTests {
    /// Before: a key 88 bytes inline, a journal mark's change 89 (a slot of the journal's index
    /// 104 and of its marks 104), a link record 216.
    @Test func keysAreOnePointerInline() {
        #expect(MemoryLayout<LinkKey>.size == 8, "LinkKey is \(MemoryLayout<LinkKey>.size) bytes inline")
        #expect(MemoryLayout<ChangeJournal.Change>.size <= 24, "a journal's change is \(MemoryLayout<ChangeJournal.Change>.size) bytes")
        #expect(MemoryLayout<LinkRecord>.size <= 144, "LinkRecord is \(MemoryLayout<LinkRecord>.size) bytes inline")
    }

    /// The link table's key, the record's own key and the listing snapshot's key are one box.
    @Test func theTableTheRecordAndTheSnapshotShareAKey() throws {
        var state = LatticeState()
        state.apply(.links(LinkListingSharingTests.listing(40), syncID: 1, at: TestTime.at(1)))
        state.apply(.links(LinkListingSharingTests.listing(40), syncID: 2, at: TestTime.at(2)))
        // A link first known from an event, and one from a targeted delete.
        state.apply(In.linkSet(In.link("c9", "p9"), at: 3))
        state.apply(In.event(.linkdefDeleted(LinkDefDeletedEvent(removed: In.link("c8", "p8"))), from: In.h1, at: 4))
        #expect(state.links.count == 42)
        let keys = try #require(state.linkSnapshot).keys
        for (key, record) in state.links {
            #expect(key.sharesStorage(with: record.id), "\(key): the table's key is the record's")
            if let listed = keys.firstIndex(of: key) {
                #expect(keys[listed].sharesStorage(with: record.id), "\(key): the snapshot's key is the record's")
            }
        }
    }

    @Test func keysCompareHashAndOrderByTheirStrings() {
        let a = LinkKey(sourceID: "c1", witNamespace: "wasi", witPackage: "http", name: "default", target: "p1")
        let same = LinkKey(sourceID: "c1", witNamespace: "wasi", witPackage: "http", name: "default", target: "p1")
        let other = LinkKey(sourceID: "c1", witNamespace: "wasi", witPackage: "http", name: "default", target: "p2")
        #expect(a == same && !a.sharesStorage(with: same) && a.hashValue == same.hashValue)
        #expect(a != other && a < other && Set([a, same, other]).count == 2)
        #expect(a.sourceID == "c1" && a.witNamespace == "wasi" && a.witPackage == "http" && a.name == "default" && a.target == "p1")
    }
}
