import Foundation
import LatticeProtocol
@testable import LatticeState
import Testing

/// A resync's `link.get` lists every link again (20,000 at 10,000 hosts), decoded afresh: a link
/// equal to the one the model holds keeps the model's copy, so the new listing is freed once
/// folded instead of a second copy of every link staying (Benchmarks/README.md, "Memory at scale").
@Suite struct LinkListingSharingTests {
    /// A listing of `count` links made afresh (new string and array storage each time).
    static func listing(_ count: Int, config: String = "settings") -> [Link] {
        (0..<count).map { i in
            Link(sourceID: "component-with-a-long-id-number-\(i)", target: "provider-with-a-long-id-number-\(i % 7)",
                 witNamespace: "wasi", witPackage: "keyvalue", interfaces: ["store", "atomics"],
                 targetConfig: ["\(config)-for-link-number-\(i)"])
        }
    }

    static func storage<T>(_ array: [T]) -> UnsafeRawPointer? {
        array.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    static func storage(_ string: String) -> UnsafeRawPointer? {
        string.utf8.withContiguousStorageIfAvailable { $0.baseAddress.map(UnsafeRawPointer.init) } ?? nil
    }

    /// Whether `a` and `b` are the same copy: their strings and lists share storage.
    static func sameCopy(_ a: Link, _ b: Link) -> Bool {
        storage(a.sourceID) == storage(b.sourceID) && storage(a.target) == storage(b.target)
            && storage(a.interfaces) == storage(b.interfaces) && storage(a.targetConfig) == storage(b.targetConfig)
            && storage(a.targetConfig[0]) == storage(b.targetConfig[0])
    }

    @Test func aRepeatedListingKeepsTheModelsCopyOfEachLink() throws {
        var state = LatticeState()
        state.apply(.links(Self.listing(50), syncID: 1, at: TestTime.at(1)))
        let second = Self.listing(50)
        for link in second {
            let record = try #require(state.links[LinkKey(link)])
            #expect(!Self.sameCopy(record.link, link), "the listing is a new copy")
        }
        state.apply(.links(second, syncID: 2, at: TestTime.at(2)))
        #expect(state.links.count == 50)
        let keys = try #require(state.linkSnapshot).keys
        #expect(keys.count == 50)
        for link in second {
            let record = try #require(state.links[LinkKey(link)])
            let listed = try #require(record.facts.listed)
            #expect(listed.stamp.time == TestTime.at(2), "the newer listing is the latest fact")
            #expect(record.link == link && listed.value == link && record.isPresent)
            #expect(Self.sameCopy(listed.value, record.link), "one copy of \(link.sourceID), not one per listing")
            #expect(!Self.sameCopy(listed.value, link))
            // The snapshot's key is the record's, not one made from the new listing.
            let key = try #require(keys.first { $0 == record.id })
            #expect(Self.storage(key.sourceID) == Self.storage(record.id.sourceID))
        }
    }

    @Test func aChangedLinkInALaterListingIsTaken() throws {
        var state = LatticeState()
        state.apply(.links(Self.listing(5), syncID: 1, at: TestTime.at(1)))
        // The same links (same keys) with other target config, and only three of them.
        let changed = Array(Self.listing(5, config: "other").prefix(3))
        state.apply(.links(changed, syncID: 2, at: TestTime.at(2)))
        for link in changed {
            let record = try #require(state.links[LinkKey(link)])
            #expect(record.link == link && record.facts.listed?.value == link && record.isPresent)
            #expect(record.link.targetConfig == [link.targetConfig[0]] && link.targetConfig[0].hasPrefix("other-"))
        }
        // The two the later listing left out are gone, as before.
        for link in Self.listing(5).suffix(2) {
            #expect(state.links[LinkKey(link)]?.isPresent == false)
        }
    }
}
