import Foundation
import LatticeProtocol
import LatticeState
import Testing

/// Links: identity, deletes, listings, and each finding.
@Suite struct LinkFindingTests {
    let h = In.h1
    let running = In.heartbeat(In.h1, at: 0, components: [In.component("app")], providers: [In.provider("http")])

    func report(_ state: LatticeState, _ link: Link) -> LinkReport? {
        state.linkReports.first { $0.record.id == LinkKey(link) }
    }

    @Test func noFindingsWhenBothEndsRun() throws {
        let link = In.link("http", "app")
        let state = LatticeState([running, In.linkSet(link, at: 1)])
        #expect(try #require(report(state, link)).findings.isEmpty)
    }

    @Test func sourceAndTargetRunningNowhere() throws {
        let link = In.link("ghost-source", "ghost-target")
        let state = LatticeState([running, In.linkSet(link, at: 1)])
        #expect(try #require(report(state, link)).findings == [.sourceNotRunning("ghost-source"), .targetNotRunning("ghost-target")])
        // Without any inventory nobody knows what runs: no guesses.
        let blind = LatticeState([In.linkSet(link, at: 1)])
        #expect(try #require(report(blind, link)).findings.isEmpty)
        // A stopped host's components do not count.
        let stopped = LatticeState([running, In.linkSet(In.link("http", "app"), at: 1), In.heartbeat(In.h2, at: 1), In.hostStopped(h, at: 2)])
        #expect(try #require(report(stopped, In.link("http", "app"))).findings == [.sourceNotRunning("http"), .targetNotRunning("app")])
    }

    @Test func missingConfigOnlyWhenNamesAreKnown() throws {
        let link = In.link("http", "app", sourceConfig: ["listen", "SECRET_tls"], targetConfig: ["app-settings"])
        var state = LatticeState([running, In.linkSet(link, at: 1)])
        #expect(try #require(report(state, link)).findings.isEmpty, "config names cannot be listed yet")
        state.apply(.configs(["listen": ["address": "0.0.0.0:80"]], syncID: 1, at: TestTime.at(2)))
        #expect(try #require(report(state, link)).findings == [.missingTargetConfig(["app-settings"])],
                "secret references are not checked")
        state.apply(In.configSet("app-settings", at: 3))
        #expect(try #require(report(state, link)).findings.isEmpty)
        state.apply(.configs(nil, syncID: 2, at: TestTime.at(4)))
        #expect(!state.configNamesKnown)
    }

    @Test func refusedPutKeptUntilALaterSuccessfulSet() throws {
        let link = In.link("http", "app")
        var state = LatticeState([running, In.linkSet(link, at: 1), In.linkRefused(link, error: "config missing", at: 2)])
        let refused = try #require(report(state, link))
        #expect(refused.record.isPresent, "a refused re-put leaves the old link in place")
        #expect(refused.findings == [.putRefused(error: "config missing", at: TestTime.at(2))])
        state.apply(In.linkSet(link, at: 3))
        #expect(try #require(report(state, link)).findings.isEmpty)
        // A refusal older than the successful set (arriving late) is not current.
        state.apply(In.linkRefused(link, error: "old news", at: 2.5))
        #expect(try #require(report(state, link)).findings.isEmpty)
    }

    @Test func refusedPutOfANewLinkIsShownThenExpires() throws {
        let link = In.link("http", "app", package: "keyvalue")
        var state = LatticeState([running, In.linkRefused(link, error: "nope", at: 1)])
        let refused = try #require(report(state, link))
        #expect(!refused.record.isPresent)
        #expect(refused.findings == [.putRefused(error: "nope", at: TestTime.at(1))])
        state.apply(In.tick(601.2))
        #expect(state.links[LinkKey(link)] == nil)
    }

    @Test func ambiguousForDelete() throws {
        let store = In.link("app", "redis", package: "keyvalue", interfaces: ["store"])
        let atomics = In.link("app", "nats-kv", package: "keyvalue", interfaces: ["atomics"])
        let state = LatticeState([running, In.linkSet(store, at: 1), In.linkSet(atomics, at: 2)])
        #expect(try #require(report(state, store)).findings.contains(.ambiguousForDelete(others: [LinkKey(atomics)])))
        #expect(try #require(report(state, atomics)).findings.contains(.ambiguousForDelete(others: [LinkKey(store)])))
        #expect(state.links.count == 2, "same source, namespace, package and name: two links, told apart by target")
    }

    @Test func deleteWithTargetRemovesOneDeleteWithoutRemovesAllOfThatBase() {
        let store = In.link("app", "redis", package: "keyvalue", interfaces: ["store"])
        let atomics = In.link("app", "nats-kv", package: "keyvalue", interfaces: ["atomics"])
        let other = In.link("app", "blob", package: "blobstore")
        let base = [In.linkSet(store, at: 1), In.linkSet(atomics, at: 2), In.linkSet(other, at: 3)]
        let one = LatticeState(base + [In.linkDeleted(store, withTarget: true, at: 4)])
        #expect(Set(one.linkReports.map(\.record.id)) == [LinkKey(atomics), LinkKey(other)])
        let all = LatticeState(base + [In.linkDeleted(store, withTarget: false, at: 4)])
        #expect(all.linkReports.map(\.record.id) == [LinkKey(other)])
        // A delete older than a set (arriving late) does not remove it, in either form.
        let late = LatticeState(base + [In.linkDeleted(other, withTarget: false, at: 0.5)])
        #expect(late.linkReports.count == 3)
    }

    @Test func aListingReplacesTheSet() {
        let kept = In.link("http", "app")
        let dropped = In.link("http", "old-app")
        let unseen = In.link("http", "new-app")
        var state = LatticeState([In.linkSet(kept, at: 1), In.linkSet(dropped, at: 2)])
        state.apply(.links([kept, unseen], syncID: 1, at: TestTime.at(10)))
        #expect(Set(state.linkReports.map(\.record.id)) == [LinkKey(kept), LinkKey(unseen)])
        // A set from before the listing (arriving late) does not bring back what it left out.
        state.apply(In.linkSet(dropped, at: 5))
        #expect(state.links[LinkKey(dropped)]?.isPresent == false)
        // A set after it does.
        state.apply(In.linkSet(dropped, at: 11))
        #expect(state.links[LinkKey(dropped)]?.isPresent == true)
    }
}
