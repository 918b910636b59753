import Foundation
import LatticeProtocol
import LatticeState
import Testing

/// Host liveness, removal rules, and what late or stale facts may not undo.
@Suite struct HostLivenessTests {
    let h = In.h1

    @Test func staleAfterSeventySecondsWithoutHeartbeat() {
        var state = LatticeState([In.heartbeat(h, at: 0)])  // arrives at 0.1
        state.apply(In.tick(70))
        #expect(state.hosts[h]?.liveness == .live)
        state.apply(In.tick(70.2))
        #expect(state.hosts[h]?.liveness == .stale(since: TestTime.at(0.1), reason: .noHeartbeat))
        state.apply(In.heartbeat(h, at: 75))
        #expect(state.hosts[h]?.liveness == .live)
        #expect(state.hosts[h]?.lastHeartbeatAt == TestTime.at(75.1))
    }

    @Test func aPingReplyCountsAsSignOfLife() {
        var state = LatticeState([In.heartbeat(h, at: 0), In.tick(100)])
        #expect(state.hosts[h]?.liveness.isLive == false)
        state.apply(In.ping(h, at: 101))
        #expect(state.hosts[h]?.liveness == .live)
        #expect(state.hosts[h]?.ctlHost == "nats://ctl:4222")
        #expect(state.hosts[h]?.rpcHost == "nats://rpc:4222")
        #expect(state.hosts[h]?.lattice == "default")
    }

    @Test func thresholdIsASetting() {
        var state = LatticeState([In.heartbeat(h, at: 0)], configuration: LatticeStateConfiguration(hostStaleAfter: 20))
        state.apply(In.tick(21))
        #expect(state.hosts[h]?.liveness == .stale(since: TestTime.at(0.1), reason: .noHeartbeat))
    }

    @Test func staleHostIsRemovedAfterTheLongerLimit() {
        var state = LatticeState([In.heartbeat(h, at: 0, components: [In.component("c")])])
        state.apply(In.tick(600))
        #expect(state.hosts[h] != nil)
        state.apply(In.tick(601))
        #expect(state.hosts[h] == nil)
        // It is not a tombstone: a host that comes back (partition healed) reappears.
        state.apply(In.heartbeat(h, at: 700, components: [In.component("c")]))
        #expect(state.hosts[h]?.liveness == .live)
    }

    @Test func stoppedOnHostStoppedThenRemoved() {
        var state = LatticeState([
            In.heartbeat(h, at: 0, components: [In.component("c")], providers: [In.provider("p")]),
            In.hostStopped(h, at: 10),
        ])
        #expect(state.hosts[h]?.liveness == .stopped(at: TestTime.at(10)))
        #expect(state.hosts[h]?.components.isEmpty == true)
        #expect(state.hosts[h]?.providers.isEmpty == true)
        state.apply(In.tick(310))
        #expect(state.hosts[h] != nil, "kept visible for 5 minutes")
        state.apply(In.tick(310.2))
        #expect(state.hosts[h] == nil)
    }

    /// Host IDs are not reused (a restarted host has a new ID), so once `host_stopped` is seen,
    /// nothing brings that ID back: not a late heartbeat from before the stop, and not one that
    /// claims to be from after it.
    @Test func aLateHeartbeatDoesNotResurrectAStoppedHost() {
        var state = LatticeState([In.heartbeat(h, at: 0), In.hostStopped(h, at: 10)])
        state.apply(In.heartbeat(h, at: 5, components: [In.component("late")], arrival: 11))
        state.apply(In.heartbeat(h, at: 20, components: [In.component("later")], arrival: 21))
        state.apply(In.scaled(h, "late", count: 1, at: 6, arrival: 12))
        #expect(state.hosts[h]?.liveness == .stopped(at: TestTime.at(10)))
        #expect(state.hosts[h]?.components.isEmpty == true)
        // After the record is gone, the stopped ID is still remembered.
        state.apply(In.tick(400))
        #expect(state.hosts[h] == nil)
        state.apply(In.heartbeat(h, at: 8, components: [In.component("late")], arrival: 401))
        #expect(state.hosts[h] == nil)
    }

    @Test func aCompleteSyncMarksSilentHostsStaleButNeverStoppedOrRemoved() {
        var state = LatticeState([In.heartbeat(h, at: 0, components: [In.component("c")]), In.heartbeat(In.h2, at: 0)])
        state.apply(.syncStarted(id: 7, at: TestTime.at(20)))
        state.apply(In.ping(In.h2, syncID: 7, at: 21))
        state.apply(.syncFinished(id: 7, hostsAnswered: [In.h2], complete: true, at: TestTime.at(25)))
        #expect(state.hosts[h]?.liveness == .stale(since: TestTime.at(0.1), reason: .didNotAnswerPing))
        #expect(state.hosts[h]?.components["c"]?.status == .running, "absence of an answer removes nothing")
        #expect(state.hosts[In.h2]?.liveness == .live)
        #expect(state.sync.lastCompleteAt == TestTime.at(25))
        // Its next heartbeat makes it live again.
        state.apply(In.heartbeat(h, at: 30))
        #expect(state.hosts[h]?.liveness == .live)
    }

    @Test func anIncompleteSyncProvesNothing() {
        var state = LatticeState([In.heartbeat(h, at: 0)])
        state.apply(.syncStarted(id: 1, at: TestTime.at(20)))
        state.apply(.syncFinished(id: 1, hostsAnswered: [], complete: false, at: TestTime.at(25)))
        #expect(state.hosts[h]?.liveness == .live)
        #expect(state.sync.lastCompleteAt == nil)
    }

    @Test func aHostHeardFromDuringTheSyncIsNotMarked() {
        var state = LatticeState([In.heartbeat(h, at: 0)])
        state.apply(.syncStarted(id: 1, at: TestTime.at(20)))
        state.apply(In.heartbeat(h, at: 22))
        state.apply(.syncFinished(id: 1, hostsAnswered: [], complete: true, at: TestTime.at(25)))
        #expect(state.hosts[h]?.liveness == .live)
    }

    @Test func anOlderEventDoesNotUndoANewerInventory() {
        let c = "comp"
        var state = LatticeState([In.heartbeat(h, at: 0, components: [In.component(c)])])
        state.apply(In.heartbeat(h, at: 60))  // authoritative: c is gone as of 60
        state.apply(In.scaled(h, c, count: 3, at: 50, arrival: 61))  // older than that inventory
        #expect(state.hosts[h]?.components[c]?.status == .removed(at: TestTime.at(60)))
        state.apply(In.scaled(h, c, count: 2, at: 70))  // newer: it is back
        #expect(state.hosts[h]?.components[c]?.status == .running)
        #expect(state.hosts[h]?.components[c]?.maxInstances == 2)
        // An older heartbeat arriving late undoes nothing either.
        state.apply(In.heartbeat(h, at: 40, components: [In.component(c, count: 9)], arrival: 71))
        #expect(state.hosts[h]?.components[c]?.maxInstances == 2)
    }

    @Test func scaleToZeroThenALateScaleUpFromBeforeIt() {
        let state = LatticeState([
            In.scaled(h, "c", count: 1, at: 10),
            In.scaled(h, "c", count: 0, at: 20),
            In.scaled(h, "c", count: 5, at: 15, arrival: 21),
        ])
        #expect(state.hosts[h]?.components["c"]?.isVisible == false)
        #expect(state.allComponents.isEmpty)
    }

    @Test func heartbeatReplacesLabelsButANewerLabelChangeWins() {
        let changed = In.event(.labelsChanged(LabelsChangedEvent(hostID: h, labels: ["zone": "b"])), from: h, at: 40)
        let state = LatticeState([
            In.heartbeat(h, at: 0, labels: ["zone": "a"]), changed,
            In.heartbeat(h, at: 30, labels: ["zone": "a"], arrival: 41),
        ])
        #expect(state.hosts[h]?.labels == ["zone": "b"])
        let newer = LatticeState([changed, In.heartbeat(h, at: 60, labels: ["zone": "c"])])
        #expect(newer.hosts[h]?.labels == ["zone": "c"])
    }

    /// The count of hosts with an inventory follows pings (none), inventories, heartbeats and
    /// the removal of stopped hosts, as a recount says.
    @Test func inventoriedHostsAreCountedAsTheyChange() {
        var state = LatticeState()
        func recount() -> Int { state.hosts.values.filter(\.hasInventory).count }
        state.apply(contentsOf: [In.ping(In.h1, at: 1), In.ping(In.h2, at: 1)])
        #expect(state.hosts.count == 2 && state.inventoriedHostCount == 0)
        state.apply(.inventory(In.inventory(In.h1), syncID: 1, at: TestTime.at(2)))
        #expect(state.inventoriedHostCount == 1 && recount() == 1)
        state.apply(contentsOf: [In.heartbeat(In.h2, at: 3), In.heartbeat(In.h3, at: 3), .inventory(In.inventory(In.h1), syncID: 1, at: TestTime.at(4))])
        #expect(state.inventoriedHostCount == 3 && recount() == 3)
        state.apply(contentsOf: [In.hostStopped(In.h3, at: 5), In.tick(5 + 301)])
        #expect(state.hosts[In.h3] == nil)
        #expect(state.inventoriedHostCount == recount())
        #expect(state.inventoriedHostCount == state.hosts.count)
    }
}
