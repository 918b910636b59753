import Foundation
import LatticeProtocol
import LatticeState
import Testing

@Suite struct EventLogAndCountersTests {
    @Test func eventLogIsABoundedRingBuffer() {
        var state = LatticeState(configuration: LatticeStateConfiguration(eventLogCapacity: 5))
        for second in 0..<12 { state.apply(In.scaled(In.h1, "c\(second)", count: 1, at: Double(second))) }
        #expect(state.eventLog.count == 5)
        #expect(state.eventLog.totalAppended == 12)
        #expect(state.eventLog.elements.map(\.summary).first == "component c7 scaled to 1 (ghcr.io/test/c7:1.0)")
        #expect(state.eventLog.newest(1).first?.summary.hasPrefix("component c11") == true)
        #expect(state.eventLog.elements.allSatisfy { $0.hostID == In.h1 && $0.kind == "component_scaled" && $0.severity == .info })
    }

    @Test func severities() {
        let state = LatticeState([
            In.heartbeat(In.h1, at: 0), In.startFailed(In.h1, "p", error: "boom", at: 1),
            In.health(.status, In.h1, "q", at: 2), In.hostStopped(In.h1, at: 3),
        ])
        #expect(state.eventLog.elements.map(\.severity) == [.debug, .error, .debug, .warning])
    }

    @Test func duplicatesAreAppliedOnce() {
        let event = In.scaled(In.h1, "c", count: 1, at: 1)
        let state = LatticeState([event, event, event])
        #expect(state.counters.events == 1)
        #expect(state.counters.duplicates == 2)
        #expect(state.eventLog.count == 1)
    }

    @Test func unknownTypesDroppedMessagesAndConnection() throws {
        let unknown = LatticeEvent(id: "u1", source: In.h1, time: "2025-06-01T12:00:01Z",
                                   payload: .unknown(type: "com.wasmcloud.lattice.component_started", raw: Data("{}".utf8)))
        var state = LatticeState([.event(unknown, at: TestTime.at(1))])
        #expect(state.counters.unknownEventTypes == ["com.wasmcloud.lattice.component_started": 1])
        state.apply(.dropped(subject: "wasmbus.evt.default.>", total: 3, at: TestTime.at(2)))
        state.apply(.dropped(subject: "wasmbus.evt.default.>", total: 3, at: TestTime.at(3)))
        state.apply(.dropped(subject: "wasmbus.evt.default.>", total: 10, at: TestTime.at(4)))
        #expect(state.counters.droppedBySubject == ["wasmbus.evt.default.>": 10])
        #expect(state.eventLog.elements.filter { $0.kind == "dropped" }.count == 2)
        state.apply(.connection(.connected(server: "nats://a:4222"), at: TestTime.at(5)))
        state.apply(.connection(.connected(server: "nats://a:4222"), at: TestTime.at(6)))
        #expect(state.connection.since == TestTime.at(5))
        state.apply(.connection(.reconnecting(attempt: 1), at: TestTime.at(7)))
        #expect(state.connection.status == .reconnecting(attempt: 1))
        #expect(state.connection.since == TestTime.at(7))
        #expect(!state.connection.isConnected)
        state.apply(.syncFailed(step: "link.get", message: "timeout", at: TestTime.at(8)))
        #expect(state.counters.syncFailures == 1)
        #expect(state.counters.recentSyncFailures.last?.step == "link.get")
    }

    @Test func dataAgeAndChangedAt() throws {
        var state = LatticeState([In.heartbeat(In.h1, at: 0, components: [In.component("c")]), In.linkSet(In.link("a", "b"), at: 2)])
        state.apply(In.tick(10))
        #expect(abs(try #require(state.dataAge(.hosts)) - 9.9) < 1e-3)
        #expect(abs(try #require(state.dataAge(.links)) - 7.9) < 1e-3)
        #expect(state.dataAge(.applications) == nil)
        let component = try #require(state.hosts[In.h1]?.components["c"])
        #expect(component.changedAt == TestTime.at(0.1))
        #expect(!state.isRecent(component.changedAt))
        state.apply(In.scaled(In.h1, "c", count: 4, at: 11))
        #expect(state.hosts[In.h1]?.components["c"]?.changedAt == TestTime.at(11.1))
        #expect(state.isRecent(try #require(state.hosts[In.h1]?.components["c"]?.changedAt)))
    }

    @Test func readSideHelpers() throws {
        let state = LatticeState([
            In.heartbeat(In.h2, at: 0, components: [In.component("b"), In.component("a")], providers: [In.provider("p")]),
            In.heartbeat(In.h1, at: 0, components: [In.component("a")]),
            In.linkSet(In.link("a", "p"), at: 1),
        ])
        #expect(state.sortedHosts.map(\.id) == [In.h1, In.h2])
        #expect(state.allComponents.map { "\($0.id)@\($0.hostID)" } == ["a@\(In.h1)", "a@\(In.h2)", "b@\(In.h2)"])
        #expect(state.allProviders.map(\.id) == ["p"])
        let drill = try #require(state.drillDown(host: In.h1))
        #expect(drill.components.map(\.id) == ["a"])
        #expect(drill.links.map(\.record.link.target) == ["p"])
        #expect(state.drillDown(host: "nope") == nil)
    }
}
