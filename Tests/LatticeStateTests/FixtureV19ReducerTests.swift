import Foundation
import LatticeProtocol
import LatticeState
import Testing

/// The 20 constructed v1.9 events (every event type a 1.9 host emits), folded in order.
@Suite struct FixtureV19ReducerTests {
    static let mainHost = "NUJZDEGXDNCF32EPF3DHODZDOCIS2JHTLGMXGEDN73U55XTPLPFT7V4S"
    static let otherHost = "NEH2KVJ72CEUVW75EFR6EDT4SYWB5WKH7DNSIPZZ7FK4ZRI3R2WYOJFL"
    static let httpServer = "rust_hello_world-httpserver"
    static let httpComponent = "rust_hello_world-http_component"
    static let config = "rust_hello_world-default_http"

    let inputs: [LatticeInput]

    init() throws {
        inputs = SharedFixtures.inputs(try SharedFixtures.messages("v1-constructed/events-v1.9.json"))
    }

    /// The fixture's time `seconds` after 12:00:00.
    func time(_ seconds: TimeInterval) -> Date { TestTime.at(seconds) }

    func state(through last: Int) -> LatticeState {
        LatticeState(Array(inputs[...last]))
    }

    @Test func everyEventDecodes() {
        #expect(inputs.count == 20)
        let state = LatticeState(inputs)
        #expect(state.counters.events == 20)
        #expect(state.counters.decodeErrors == 0)
        #expect(state.counters.eventsByType.count == 17)
        #expect(state.counters.eventsByType["component_scaled"] == 3)
        #expect(state.counters.eventsByType["linkdef_deleted"] == 2)
        #expect(state.counters.unknownEventTypes.isEmpty)
        #expect(state.eventLog.count == 20)
    }

    @Test func afterTheHeartbeat() throws {
        let state = state(through: 10)  // … heartbeat at 30.5, health_check_status at 36.5
        #expect(state.hosts.count == 2)
        let host = try #require(state.hosts[Self.mainHost])
        #expect(host.friendlyName == "quiet-meadow-4821")
        #expect(host.version == "1.9.2")
        #expect(host.labels == ["hostcore.arch": "x86_64", "hostcore.os": "linux", "hostcore.osfamily": "unix", "zone": "eu-west"])
        #expect(host.uptimeSeconds == 30)
        #expect(host.uptimeReportedAt == time(30.5))
        #expect(host.startedAt == time(0.5), "30 s of uptime at 30.5 matches host_started at 0.5")
        #expect(host.liveness == .live)
        #expect(host.isV2 == false)
        #expect(host.lastHeartbeatAt == time(30.6))

        let component = try #require(host.components[Self.httpComponent])
        #expect(component.status == .running)
        #expect(component.imageRef == "ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0")
        #expect(component.maxInstances == 1)
        #expect(component.isManagedByWadm)
        #expect(component.application == "rust-hello-world")
        #expect(component.limits == nil)

        // A failed scale of something not running stays visible with its error.
        let broken = try #require(host.components["broken"])
        #expect(broken.status == .scaleFailed(error: "failed to fetch component: failed to pull OCI artifact: manifest unknown", at: time(3)))
        #expect(broken.imageRef == "ghcr.io/example/broken:9.9.9")

        let signed = try #require(state.hosts[Self.otherHost]?.components["signed-example"])
        #expect(signed.status == .running)
        #expect(signed.name == "signed-example")
        #expect(signed.revision == 3)
        #expect(signed.maxInstances == 4)
        #expect(!signed.isManagedByWadm)

        let provider = try #require(host.providers[Self.httpServer])
        #expect(provider.status == .running)
        #expect(provider.name == "HTTP Server")
        #expect(provider.imageRef == "ghcr.io/wasmcloud/http-server:0.27.0")
        #expect(provider.health == .healthy(since: time(6.5)), "health_check_status keeps the previous verdict")
        #expect(provider.history.map(\.kind) == [.started(imageRef: "ghcr.io/wasmcloud/http-server:0.27.0"), .healthPassed])
        #expect(provider.history.map(\.time) == [time(1.5), time(6.5)])
        #expect(provider.application == "rust-hello-world")

        let reports = state.linkReports
        #expect(reports.count == 2)
        let http = try #require(reports.first { $0.record.link.sourceID == Self.httpServer })
        #expect(http.record.isPresent)
        #expect(http.record.link.sourceConfig == [Self.config])
        #expect(http.findings.isEmpty, "both ends run; config names cannot be listed yet, so config is not judged")
        let refused = try #require(reports.first { $0.record.link.sourceID == "rust_http_kv-counter" })
        #expect(!refused.record.isPresent)
        #expect(refused.findings == [.putRefused(
            error: "Failed to validate configuration and secrets. Configuration rust_http_kv-redis_url not found in config store. ",
            at: time(4))])

        let config = try #require(state.configs[Self.config])
        #expect(config.exists)
        #expect(config.values == nil)
        #expect(config.valuesAreStale)
        #expect(state.configsNeedingValues == [Self.config])
    }

    @Test func configValuesAndLinkConfigChecks() throws {
        var state = state(through: 10)
        state.apply(.configs([Self.config: ["address": "0.0.0.0:8080"]], syncID: 1, at: time(40)))
        #expect(state.configNamesKnown)
        #expect(state.configs[Self.config]?.values == ["address": "0.0.0.0:8080"])
        #expect(state.configs[Self.config]?.valuesAreStale == false)
        #expect(state.configsNeedingValues.isEmpty)
        let http = try #require(state.linkReports.first { $0.record.link.sourceID == Self.httpServer })
        #expect(http.findings.isEmpty)
        // config_deleted (event 14) removes it, and the link now points at a missing config.
        state.apply(inputs[14])
        #expect(state.configs[Self.config]?.exists == false)
        let after = try #require(state.linkReports.first { $0.record.link.sourceID == Self.httpServer })
        #expect(after.findings == [.missingSourceConfig([Self.config])])
    }

    @Test func labelsAndLinkDeletes() throws {
        let state = state(through: 13)
        #expect(state.hosts[Self.mainHost]?.labels["tier"] == "gold")
        #expect(state.linkReports.map(\.record.link.sourceID) == ["rust_http_kv-counter"], "the http link was deleted")
        #expect(state.links.values.filter(\.isPresent).isEmpty)
    }

    @Test func healthTurnsUnhealthyThenProviderStops() throws {
        let unhealthy = state(through: 15)
        #expect(unhealthy.hosts[Self.mainHost]?.providers[Self.httpServer]?.health == .unhealthy(since: time(66.5)))
        #expect(unhealthy.unhealthyProviderCount == 1)

        let state = state(through: 17)
        let host = try #require(state.hosts[Self.mainHost])
        let provider = try #require(host.providers[Self.httpServer])
        #expect(provider.status == .stopped(at: time(70), reason: "stop"))
        #expect(provider.health == .notRunning)
        #expect(provider.lastEventAt == time(70))
        #expect(provider.history.map(\.kind) == [
            .started(imageRef: "ghcr.io/wasmcloud/http-server:0.27.0"), .healthPassed, .healthFailed, .stopped(reason: "stop"),
        ])
        let missing = try #require(host.providers["missing"])
        #expect(missing.status == .failedToStart(error: "failed to fetch provider: failed to pull OCI artifact: manifest unknown", at: time(71)))
        #expect(missing.imageRef == "ghcr.io/example/missing-provider:1.0.0")
        #expect(missing.lastStartFailure?.providerRef == "ghcr.io/example/missing-provider:1.0.0")
        #expect(state.configs[Self.config]?.exists == false)
    }

    @Test func theWholeSequence() throws {
        var state = LatticeState(inputs)
        state.apply(.tick(time(75.2)))
        let host = try #require(state.hosts[Self.mainHost])
        #expect(host.liveness == .stopped(at: time(75)))
        #expect(host.components.isEmpty)
        #expect(host.providers.isEmpty)
        #expect(host.labels["tier"] == "gold")
        // The second host was only heard from at 2.5: no heartbeat for more than 70 s.
        #expect(state.hosts[Self.otherHost]?.liveness == .stale(since: time(2.6), reason: .noHeartbeat))
        #expect(state.hosts[Self.otherHost]?.components["signed-example"]?.status == .running)
        #expect(state.model.configs.isEmpty)
        #expect(state.linkReports.count == 1, "only the refused put is left")
        #expect(state.runningIDs == ["signed-example"])
    }
}
