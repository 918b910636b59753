import Foundation
import LatticeProtocol
import LatticeState
import Testing

/// wadm's upstream test events (0.8x and 1.0 eras mixed) and a few broken messages, fed as the
/// subscription actor feeds them: decoded events, the rest as `.undecodable`.
@Suite struct FixtureMixedErasReducerTests {
    let messages: [Data]

    init() throws {
        messages = try SharedFixtures.messages("upstream/wadm/tests_fixtures_manifests_events.json")
    }

    @Test func decodedAndUndecodableAreCounted() throws {
        let broken: [Data] = [
            Data("not json".utf8),
            Data(#"{"specversion":"1.0","id":"x1","source":"NX","type":"com.wasmcloud.lattice.component_scaled","data":{"host_id":"NX"}}"#.utf8),
        ]
        let inputs = SharedFixtures.inputs(messages + broken)
        let state = LatticeState(inputs)
        #expect(state.counters.events == 17)
        #expect(state.counters.decodeErrors == 2)
        #expect(state.counters.duplicates == 0, "reused IDs across types are not duplicates")
        let samples = state.counters.recentDecodeErrors.elements
        #expect(samples.count == 2)
        #expect(samples[0].preview == "not json")
        #expect(samples[1].reason.contains("component_scaled"))
        #expect(samples[1].byteCount == broken[1].count)
        #expect(state.eventLog.elements.filter { $0.kind == "undecodable" }.count == 2)
        #expect(state.counters.eventsByType["manifest_published"] == 1)
        #expect(state.counters.eventsByType.values.reduce(0, +) == 17)
    }

    @Test func stateFromOldAndNewEvents() throws {
        let state = LatticeState(SharedFixtures.inputs(messages))
        // 0.82 heartbeat: a host with one named component.
        let heartbeatHost = try #require(state.hosts["NCRXKSKEDK3Z775IRSNBKTFCRAEB7WBQNSREZ4DMFN2TKYRYXNV7UPRT"])
        #expect(heartbeatHost.friendlyName == "floral-forest-3510")
        #expect(heartbeatHost.version == "0.82.0")
        #expect(heartbeatHost.components["hello_world"]?.name == "http-hello-world")
        // Link set, then deleted by a (pre-1.3 shaped) delete without target.
        #expect(state.links.values.filter(\.isPresent).isEmpty)
        // Config set, then deleted.
        #expect(state.configs["my-config"]?.exists == false)
        // The 2023 host stopped: nothing runs there any more.
        let stopped = try #require(state.hosts["NB6PMW4RGLBP3NAVUVO2IH34VFJFSX7LF7TJOQCDU4GGUGF3P57SZLPX"])
        #expect(stopped.liveness.isStopped)
        #expect(stopped.providers.isEmpty)
        // A 0.x provider_start_failed without host_id lands on its source host.
        let failed = try #require(state.hosts["NBPNYTVN27FQIEUI6M5L7I4MAJONGNB3E3JUZHQCMYI4JOHQKNKPN5SG"]?.providers.values.first)
        guard case .failedToStart(let error, _) = failed.status else {
            Issue.record("expected failedToStart, got \(failed.status)")
            return
        }
        #expect(error.contains("manifest tagged by"))
        // Scaled, then a failed scale to another image: still running, with the failure noted.
        let echo = try #require(state.hosts["NCBAWBHRT6JNSQIYQEURM3AQZ74I6HTQRRCFMTVPC3OAX4BUTCNTYADZ"]?.components.values.first)
        #expect(echo.status == .running)
        #expect(echo.lastScaleFailure?.error.contains("different image reference") == true)
        // wadm manifest events.
        #expect(state.applications["my-example-app"]?.exists == true)
        #expect(state.applications["my-example-app"]?.version == "v0.0.1")
        #expect(state.applications["foobar"]?.exists == false)
        #expect(state.sortedApplications.map(\.name) == ["my-example-app"])
    }

    /// The fixture's three health events share time and ID: the verdict is decided by a fixed
    /// rule (the pessimistic one wins), the same in every order.
    @Test func simultaneousVerdictsResolveTheSameInAnyOrder() throws {
        let inputs = SharedFixtures.inputs(Array(messages[2...5]))
        let provider = "VAG3QITQQ2ODAOWB5TTQSDJ53XK3SHBEIFNK4AYJ5RKAX2UNSCAPHA5M"
        let host = "NB6PMW4RGLBP3NAVUVO2IH34VFJFSX7LF7TJOQCDU4GGUGF3P57SZLPX"
        let forward = LatticeState(inputs)
        let backward = LatticeState(inputs.reversed())
        #expect(forward.hosts[host]?.providers[provider]?.health == .unhealthy(since: try #require(forward.hosts[host]?.providers[provider]?.lastEventAt)))
        #expect(forward.model == backward.model)
    }
}
