import Foundation
import LatticeProtocol
import LatticeState
import Testing

/// Real heartbeats captured from wasmCloud v2 hosts.
@Suite struct V2HeartbeatReducerTests {
    func heartbeats() throws -> [(V2HostHeartbeat, String)] {
        try SharedFixtures.files(in: "v2-captured/heartbeat", suffix: ".json").map { file in
            let beat = try V2HostHeartbeat.decode(try SharedFixtures.data("v2-captured/heartbeat/\(file)"))
            return (beat, "runtime.operator.heartbeat.\(beat.id)")
        }
    }

    @Test func v2HostsAppearMarkedV2() throws {
        let beats = try heartbeats()
        #expect(beats.count == 5)
        var state = LatticeState()
        for (index, (beat, subject)) in beats.enumerated() {
            state.apply(.v2Heartbeat(beat, subject: subject, at: TestTime.at(Double(index))))
        }
        #expect(state.counters.v2Heartbeats == 5)
        #expect(state.hosts.count == Set(beats.map(\.0.id)).count)
        for host in state.hosts.values {
            #expect(host.isV2)
            #expect(host.liveness == .live)
            #expect(host.lattice == nil)
            #expect(host.components.isEmpty && host.providers.isEmpty, "v2 hosts cannot list workloads")
            let v2 = try #require(host.v2)
            #expect(v2.hostGroup != nil, "hostgroup is always there")
            #expect(host.startedAt != nil)
            #expect(host.version == "2.10.3")
        }
        let busy = try #require(state.hosts["01a20ec5-d279-7ba2-bedb-820ba1d8e3b4"])
        #expect(busy.friendlyName == "drunk-silk-6416")
        #expect(busy.v2?.hostGroup == "research-group")
        #expect((busy.v2?.workloadCount ?? 0) > 0)
        #expect((busy.v2?.componentCount ?? 0) > 0)
        let imports = try #require(busy.v2?.imports)
        #expect(imports.map(\.packageReference) == imports.map(\.packageReference).sorted(), "sorted for display")
        let withPort = try #require(state.hosts["01a20ec4-8d8d-7c40-aa5b-2a0f357b888f"]?.v2)
        #expect(withPort.httpPort == 8480)
        #expect(withPort.environment == "research")
    }

    @Test func v2HostsGoStaleOnTheirOwnThresholdAndAreNotJudgedByPings() throws {
        let (beat, subject) = try #require(try heartbeats().first)
        var state = LatticeState()
        state.apply(.v2Heartbeat(beat, subject: subject, at: TestTime.at(0)))
        state.apply(.syncStarted(id: 1, at: TestTime.at(1)))
        state.apply(.syncFinished(id: 1, hostsAnswered: [], complete: true, at: TestTime.at(3)))
        #expect(state.hosts[beat.id]?.liveness == .live, "v2 hosts do not answer wasmbus pings")
        state.apply(In.tick(44))
        #expect(state.hosts[beat.id]?.liveness == .live)
        state.apply(In.tick(46))
        #expect(state.hosts[beat.id]?.liveness == .stale(since: TestTime.at(0), reason: .noHeartbeat))
    }
}
