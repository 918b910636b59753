import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// What the history and the triage look like (issue #13 items 4 and 6): the progress banner while
/// the history loads, the `—— dashboard started ——` line, `/type:provider_*`, the Providers pane's
/// INCIDENTS marker and the inspector's triage. Whole-screen snapshots at fixed times, in UTC.
@Suite struct HistoryViewTests {
    static let base = Date(timeIntervalSince1970: 1_748_779_200)  // 2025-06-01T12:00:00Z
    static func at(_ s: TimeInterval) -> Date { base.addingTimeInterval(s) }
    static let host = "NCRIVERB2KX7Q4ZJ3M5W6T8Y9U0PLOKMNIJBHUVGYCTFXRDZESWAQ2"
    static let kv = "rust_http_kv-kvredis"
    static let nats = "nats-messaging"
    static let now = at(1800)

    static func event(_ payload: LatticeEventPayload, at s: TimeInterval, n: Int) -> LatticeEvent {
        LatticeEvent.make(payload, source: host, time: at(s), id: String(format: "00000000-0000-7000-8000-%012d", n))
    }

    static func inventory(at s: TimeInterval) -> LatticeEventPayload {
        .hostHeartbeat(HostInventory(components: [], providers: [
            ProviderDescription(id: kv, imageRef: "ghcr.io/wasmcloud/keyvalue-redis:0.28.2", name: "kvredis"),
            ProviderDescription(id: nats, imageRef: "ghcr.io/wasmcloud/messaging-nats:0.27.0", name: "nats"),
        ], hostID: host, friendlyName: "bold-river-2207", labels: [:], version: "1.9.2", uptimeHuman: "", uptimeSeconds: UInt64(s)))
    }

    /// Half an hour of recorded history: kvredis crashes three times (silent, restarted), a start
    /// of a missing provider fails; then the dashboard starts and one live event arrives.
    static func recorded() -> [LatticeInput] {
        var events: [LatticeEvent] = []
        var n = 0
        func add(_ p: LatticeEventPayload, _ s: TimeInterval) { n += 1; events.append(event(p, at: s, n: n)) }
        for p in [kv, nats] {
            add(.providerStarted(ProviderStartedEvent(hostID: host, imageRef: "ghcr.io/wasmcloud/\(p):1", providerID: p, annotations: [:])), 10)
        }
        let silences: [ClosedRange<TimeInterval>] = [400...520, 700...820, 1000...1120]
        for t in stride(from: 30.0, through: 1500, by: 30) {
            add(inventory(at: t), t + 1)
            add(t == 30 ? .healthCheckPassed(HealthCheckEvent(hostID: host, providerID: nats)) : .healthCheckStatus(HealthCheckEvent(hostID: host, providerID: nats)), t + 2)
            if !silences.contains(where: { $0.contains(t) }) {
                add(t == 30 ? .healthCheckPassed(HealthCheckEvent(hostID: host, providerID: kv)) : .healthCheckStatus(HealthCheckEvent(hostID: host, providerID: kv)), t + 3)
            }
        }
        add(.providerStartFailed(ProviderStartFailedEvent(providerRef: "ghcr.io/example/missing-provider:1.0.0", providerID: "missing-provider",
                                                          hostID: host, error: "failed to fetch provider: manifest unknown")), 1300)
        return events.sorted { $0.date! < $1.date! }.map { .recorded($0, at: $0.date! + 0.1) }
    }

    static func dashboard(loaded: Bool) -> Dashboard {
        var d = Dashboard(state: LatticeState(configuration: LatticeStateConfiguration(triageWindow: 3600)), lattice: "default",
                          server: "nats://127.0.0.1:4222", context: nil)
        d.timeZone = TimeZone(identifier: "UTC")!
        d.apply([.connection(.connected(server: "nats://127.0.0.1:4222"), at: at(1790)),
                 .history(.loading(stream: "LATTICETOP_EVENTS_default", since: at(0), loaded: 0, expected: 140), at: at(1790))])
        let history = recorded()
        if loaded {
            d.apply(history)
            d.apply([.history(.loaded(stream: "LATTICETOP_EVENTS_default", since: at(0), events: history.count, duplicates: 0), at: at(1790.5))])
            d.apply([.event(event(.healthCheckStatus(HealthCheckEvent(hostID: host, providerID: nats)), at: 1795, n: 9999), at: at(1795))])
        } else {
            d.apply(Array(history.prefix(60)))
            d.apply([.history(.loading(stream: "LATTICETOP_EVENTS_default", since: at(0), loaded: 60, expected: history.count), at: at(1790.2))])
        }
        d.apply([.tick(now)])
        return d
    }

    static func render(_ d: Dashboard, pane: PaneID, drill: DrillTarget? = nil, filter: String? = nil, size: Size = Size(width: 120, height: 30)) -> String {
        var app = AppState()
        app.pane = pane
        if let drill { app.drills[pane] = [drill] }
        if let filter { app.filters[pane] = RowFilter(filter) }
        let header = d.header(now: now)
        let view = d.view(for: pane, drill: app.drill, now: now, paused: false)
            .arranged(filter: app.filters[pane], sort: nil)
        app.reconcileSelection(view, visibleRows: Screen.visibleRows(size: size, banner: header.banner != nil))
        return Screen.render(app: app, header: header, view: view, size: size, theme: .default, now: now).lines().joined(separator: "\n") + "\n"
    }

    @Test func theHeaderShowsTheProgressWhileTheHistoryLoads() throws {
        let screen = Self.render(Self.dashboard(loaded: false), pane: .hosts)
        #expect(screen.contains("⟲ loading history from LATTICETOP_EVENTS_default since 12:00:00: 60 of"))
        try SnapshotFile.assertMatches(screen, name: "history-loading-120x30")
        #expect(!Self.render(Self.dashboard(loaded: true), pane: .hosts).contains("loading history"))
    }

    @Test func theEventsPaneMarksWhereLiveBegins() throws {
        let d = Self.dashboard(loaded: true)
        let screen = Self.render(d, pane: .events)
        try SnapshotFile.assertMatches(screen, name: "events-history-120x30")
        let lines = screen.split(separator: "\n").map(String.init)
        let marker = try #require(lines.firstIndex { $0.contains("—— dashboard started ——") })
        let live = try #require(lines.firstIndex { $0.contains("12:29:55") })
        let recorded = try #require(lines.firstIndex { $0.contains("12:21:40") })
        #expect(live < marker && marker < recorded, "newest first: live above the line, history below")
        #expect(lines[marker].contains("141 recorded events before it"))
    }

    @Test func typeFilterKeepsProviderEventsAndTheMarker() throws {
        let d = Self.dashboard(loaded: true)
        let view = d.view(for: .events, drill: nil, now: Self.now, paused: false)
        let filtered = view.arranged(filter: RowFilter("type:provider_*"), sort: nil)
        let kinds = Set(filtered.rows.map { $0.cells[3] })
        #expect(kinds == ["provider_started", "provider_start_failed", LatticeState.liveMarkerKind], "\(kinds)")
        let inverted = view.arranged(filter: RowFilter("!type:health_*"), sort: nil)
        #expect(!inverted.rows.contains { $0.cells[3].hasPrefix("health_") } && inverted.rows.contains { $0.cells[3] == "provider_start_failed" })
        try SnapshotFile.assertMatches(Self.render(d, pane: .events, filter: "type:provider_*"), name: "events-history-filtered-120x30")
    }

    @Test func providersShowIncidentsAndFlapping() throws {
        let d = Self.dashboard(loaded: true)
        let screen = Self.render(d, pane: .providers)
        try SnapshotFile.assertMatches(screen, name: "providers-triage-120x30")
        let kvLine = try #require(screen.split(separator: "\n").first { $0.contains(Self.kv) })
        #expect(kvLine.contains("⚑ FLAPPING ×3"), "\(kvLine)")
        let natsLine = try #require(screen.split(separator: "\n").first { $0.contains(Self.nats) })
        #expect(!natsLine.contains("FLAPPING") && !natsLine.contains("crash"))
        let inspector = Self.render(d, pane: .providers, drill: .provider(hostID: Self.host, providerID: Self.kv), size: Size(width: 120, height: 40))
        try SnapshotFile.assertMatches(inspector, name: "provider-triage-120x40")
        #expect(inspector.contains("3 crashes in the last 1h"))
        #expect(inspector.contains("⚑ FLAPPING: 3 incidents within 10m (threshold 3)"))
        #expect(inspector.contains("12:06:33") && inspector.contains("over after"))
    }
}

/// `/` filters: `column:glob`, pure.
@Suite struct RowFilterColumnTests {
    let columns = ["TIME", "", "HOST", "KIND", "SUMMARY"]

    @Test func columnGlobsMatchOneColumnsWholeText() {
        let row = ["12:00:00", "·", "bold-river", "provider_started", "provider kv started"]
        #expect(RowFilter("type:provider_*").matches(row, columns: columns), "type names KIND")
        #expect(RowFilter("kind:PROVIDER_STARTED").matches(row, columns: columns), "case-insensitive")
        #expect(!RowFilter("type:provider").matches(row, columns: columns), "a glob matches the whole cell")
        #expect(RowFilter("type:provider_?tarted").matches(row, columns: columns))
        #expect(!RowFilter("!type:provider_*").matches(row, columns: columns))
        #expect(RowFilter("host:*river").matches(row, columns: columns))
        #expect(!RowFilter("host:*meadow*").matches(row, columns: columns))
    }

    @Test func withoutSuchAColumnItIsAnExpression() {
        let row = ["redis://user:pass@host", "x"]
        #expect(RowFilter("redis://user").matches(row, columns: ["URL", "OTHER"]), "no column 'redis': a plain expression")
        #expect(RowFilter("type:provider_*").matches(["type:provider_x"], columns: ["NAME"]), "no TYPE column: an expression")
        #expect(!RowFilter("type:provider_*").matches(["provider_x"], columns: ["NAME"]))
        #expect(RowFilter("a.b").matches(["axb"], columns: []))
    }
}
