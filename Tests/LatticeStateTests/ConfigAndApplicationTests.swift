import Foundation
import LatticeProtocol
import LatticeState
import Testing

@Suite struct ConfigAndApplicationTests {
    @Test func configValuesUnknownUntilFetchedAndStaleAfterASet() throws {
        var state = LatticeState([In.configSet("db", at: 1)])
        #expect(state.configs["db"]?.exists == true)
        #expect(state.configs["db"]?.values == nil)
        #expect(state.configsNeedingValues == ["db"])
        state.apply(.config(name: "db", values: ["url": "postgres://x"], at: TestTime.at(2)))
        #expect(state.configs["db"]?.values == ["url": "postgres://x"])
        #expect(state.configsNeedingValues.isEmpty)
        state.apply(In.configSet("db", at: 3))
        #expect(state.configs["db"]?.valuesAreStale == true)
        #expect(state.configs["db"]?.values == ["url": "postgres://x"], "old values stay shown, marked stale")
        state.apply(In.configDeleted("db", at: 4))
        #expect(state.configs["db"]?.exists == false)
        #expect(state.sortedConfigs.isEmpty)
        // A fetch that finds nothing says it does not exist.
        state.apply(In.configSet("gone", at: 5))
        state.apply(.config(name: "gone", values: nil, at: TestTime.at(6)))
        #expect(state.configs["gone"]?.exists == false)
    }

    @Test func configListingIsAuthoritative() {
        var state = LatticeState([In.configSet("a", at: 1), In.configSet("b", at: 2)])
        state.apply(.configs(["a": ["k": "v"], "c": [:]], syncID: 1, at: TestTime.at(10)))
        #expect(state.sortedConfigs.map(\.name) == ["a", "c"])
        state.apply(In.configSet("b", at: 5))  // older than the listing
        #expect(state.configs["b"]?.exists == false)
    }

    @Test func applicationsStatusAndMembers() throws {
        let annotations = ["wasmcloud.dev/appspec": "hello", "wasmcloud.dev/managed-by": "wadm"]
        let summaries = [
            ModelSummary(name: "hello", version: "v1", deployedVersion: "v1",
                         detailedStatus: WadmStatus(status: WadmStatusInfo(type: .reconciling))),
            ModelSummary(name: "other", version: "v3", status: .undeployed),
        ]
        var state = LatticeState([
            In.heartbeat(In.h1, at: 0, components: [In.component("hello-http", annotations: annotations)],
                         providers: [In.provider("hello-server", annotations: annotations), In.provider("unmanaged")]),
        ])
        state.apply(.applications(summaries, syncID: 1, at: TestTime.at(1)))
        #expect(state.wadmAvailable == true)
        #expect(state.sortedApplications.map(\.name) == ["hello", "other"])
        #expect(state.applications["hello"]?.status == .reconciling)
        state.apply(.wadmStatus(application: "hello", status: WadmStatus(status: WadmStatusInfo(type: .deployed)), at: TestTime.at(2)))
        #expect(state.applications["hello"]?.status == .deployed)
        #expect(state.applications["hello"]?.statusAt == TestTime.at(2))
        let members = state.members(ofApplication: "hello")
        #expect(members.components.map(\.id) == ["hello-http"])
        #expect(members.providers.map(\.id) == ["hello-server"])
        #expect(members.components.allSatisfy { $0.isManagedByWadm })
        // A newer list without "other" removes it; no wadm proves nothing.
        state.apply(.applications([summaries[0]], syncID: 2, at: TestTime.at(3)))
        #expect(state.sortedApplications.map(\.name) == ["hello"])
        state.apply(.applications(nil, syncID: 3, at: TestTime.at(4)))
        #expect(state.wadmAvailable == false)
        #expect(state.sortedApplications.map(\.name) == ["hello"])
    }
}
