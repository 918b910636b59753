import Foundation
import LatticeProtocol
@testable import LatticeState
import Testing

/// The first `link.get` listing (no link known before it: 20,000 links at 10,000 hosts) is folded
/// and refreshed in one pass (`applyLinkListing`); its records, snapshot and marks are those the
/// general path gives (the same listing with another link known before it).
@Suite struct FirstLinkListingTests {
    static let listed = (0..<40).map { i in
        In.link("app-\(i % 9)", "provider-\(i)", package: i % 2 == 0 ? "keyvalue" : "http", interfaces: ["store", "i\(i)"])
    }
    /// Deletes of a link's base (source, namespace, package, name) from before and after the
    /// listing's moment (10 s), and one with a target.
    static let before: [LatticeInput] = [
        In.linkDeleted(listed[3], withTarget: false, at: 5),
        In.linkDeleted(listed[4], withTarget: false, at: 20),
    ]

    static func state(after inputs: [LatticeInput], _ listing: [Link], at time: TimeInterval) -> (LatticeState, UInt64) {
        var state = LatticeState(inputs)
        let revision = state.changes.revision
        state.apply(.links(listing, syncID: 1, at: TestTime.at(time)))
        return (state, revision)
    }

    @Test func theFirstListingIsWhatTheGeneralPathMakes() throws {
        let listing = Self.listed + [Self.listed[7]]
        let (first, revision) = Self.state(after: Self.before, listing, at: 10)
        let unrelated = In.link("elsewhere", "other-target", package: "blobstore")
        let (general, generalRevision) = Self.state(after: Self.before + [In.linkSet(unrelated, at: 1)], listing, at: 10)
        #expect(LatticeState(Self.before).links.isEmpty, "the first listing meets no link")
        #expect(first.links.count == Self.listed.count)
        for link in Self.listed {
            let record = try #require(first.links[LinkKey(link)])
            #expect(record == general.links[LinkKey(link)], "\(link.sourceID) → \(link.target)")
        }
        #expect(first.linkSnapshot?.keys == Set(Self.listed.map(LinkKey.init)))
        #expect(first.linkSnapshot?.keys.union([LinkKey(unrelated)]) == general.linkSnapshot?.keys.union([LinkKey(unrelated)]))
        #expect(first.linkSnapshot?.stamp == general.linkSnapshot?.stamp)
        let marked = try #require(first.changes.linkChanges(since: revision))
        #expect(marked == general.changes.linkChanges(since: generalRevision)?.subtracting([LinkKey(unrelated)]), "the same links marked")
        #expect(marked.count >= Self.listed.count - 4, "each link the listing brought is marked")
        // A base deleted after the listing's moment is gone, one deleted before it is listed again.
        #expect(first.links[LinkKey(Self.listed[4])]?.isPresent == false)
        #expect(first.links[LinkKey(Self.listed[3])]?.isPresent == true)
        #expect(first.links[LinkKey(Self.listed[5])]?.isPresent == true)
        #expect(Set(first.linkReports.map(\.record.id)) == Set(general.linkReports.map(\.record.id)).subtracting([LinkKey(unrelated)]))

        // What comes after reads the first listing as it reads any: a later listing leaving a
        // link out makes it absent in both.
        var (a, b) = (first, general)
        let later = Array(Self.listed.dropFirst())
        a.apply(.links(later, syncID: 2, at: TestTime.at(30)))
        b.apply(.links(later, syncID: 2, at: TestTime.at(30)))
        for link in Self.listed { #expect(a.links[LinkKey(link)] == b.links[LinkKey(link)], "\(link.sourceID) → \(link.target)") }
        #expect(a.links[LinkKey(Self.listed[0])]?.isPresent == false)
    }

    /// An empty first listing: no link, an empty snapshot, nothing marked.
    @Test func anEmptyFirstListing() {
        let (state, revision) = Self.state(after: Self.before, [], at: 10)
        #expect(state.links.isEmpty)
        #expect(state.linkSnapshot?.keys == [])
        #expect(state.changes.linkChanges(since: revision) == [])
    }
}
