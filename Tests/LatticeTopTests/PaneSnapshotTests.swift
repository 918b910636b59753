import Foundation
import LatticeProtocol
import LatticeSpy
import LatticeState
import Synchronization
import TerminalUI
import TestFixtures
import Testing
@testable import LatticeTop

/// Whole-screen text snapshots of every pane, drawn by `Screen.render` from a lattice state built
/// by folding a fixed sequence of inputs (the constructed v1.9 events, syncs, a captured v2
/// heartbeat, ticks) with fixed times. Compared with `Snapshots/<name>-<w>x<h>.txt`; run with
/// `LATTICETOP_RECORD_SNAPSHOTS=1` to write them instead (the tests then fail, saying so).
@Suite struct PaneSnapshotTests {
    static let sizes = [Size(width: 90, height: 24), Size(width: 200, height: 60)]

    @Test(arguments: SnapshotScene.allCases)
    func pane(_ scene: SnapshotScene) throws {
        let world = try SnapshotWorld.shared()
        for size in Self.sizes {
            let text = world.render(scene, size: size)
            try SnapshotFile.assertMatches(text, name: "\(scene.rawValue)-\(size.width)x\(size.height)")
        }
    }

    /// Paging moves by the rows actually drawn (no more, no fewer), and the table scrolls with the selection.
    @Test(arguments: [Size(width: 90, height: 24), Size(width: 200, height: 60), Size(width: 100, height: 30)])
    func visibleRowsAreTheRowsDrawn(_ size: Size) {
        let rows = (0..<500).map { PaneRow(id: "r\($0)", cells: [String(format: "row-%03d", $0)]) }
        let view = PaneView(title: "Many", columns: [TableColumn("ROW")], rows: rows)
        var app = AppState()
        let visible = Screen.visibleRows(size: size, banner: false)
        app.tables[.hosts] = TableState(selected: 0)
        app.tables[.hosts]?.pageDown(rowCount: rows.count, visibleRows: visible)
        app.reconcileSelection(view, visibleRows: visible)
        let header = HeaderInfo(lattice: "default", server: "nats://127.0.0.1:4222", connection: "connected", connected: true)
        let lines = Screen.render(app: app, header: header, view: view, size: size, theme: .default, now: SnapshotWorld.now).lines()
        let drawn = lines.filter { $0.contains("row-") }
        #expect(drawn.count == visible)
        #expect(drawn.last?.contains(String(format: "row-%03d", visible)) == true, "a page down selects the row below the page: \(drawn.last ?? "")")
    }

    /// The same inputs give the same screen: the reducer and the renderer depend on nothing else.
    @Test func renderingIsDeterministic() throws {
        let a = try SnapshotWorld.make()
        let b = try SnapshotWorld.make()
        for scene in SnapshotScene.allCases where scene != .spy {
            #expect(a.render(scene, size: Size(width: 120, height: 30)) == b.render(scene, size: Size(width: 120, height: 30)), "\(scene)")
        }
    }
}

/// What each snapshot shows.
enum SnapshotScene: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case hosts, components, providers, links, config, apps, events, spy
    case hostDetail = "host-detail"
    case providerDetail = "provider-detail"
    case help
    case connectionLost = "connection-lost"

    var testDescription: String { rawValue }
}

/// The lattice the snapshots show, at 12:01:30 UTC on 2025-06-01 (the v1.9 fixture's day):
/// - `quiet-meadow-4821` (fixture host): stopped 15 s ago by its `host_stopped`;
/// - `misty-forest-3302`: live, its HTTP server provider only ever said "unchanged";
/// - `bold-river-2207`: live; kvredis UNHEALTHY, nats-messaging healthy, blobstore-fs silent;
/// - `old-harbor-7781`: did not answer the second sync's ping → stale;
/// - `drunk-silk-6416`: a live v2 host (captured heartbeat); `shy-storm-…`: a v2 host whose heartbeats stopped.
struct SnapshotWorld: Sendable {
    static let base = Date(timeIntervalSince1970: 1_748_779_200)  // 2025-06-01T12:00:00Z
    static func at(_ seconds: TimeInterval) -> Date { base.addingTimeInterval(seconds) }
    static let now = at(90)
    static let utc = TimeZone(identifier: "UTC")!

    static let stoppedHost = "NUJZDEGXDNCF32EPF3DHODZDOCIS2JHTLGMXGEDN73U55XTPLPFT7V4S"
    static let mistyHost = "NEH2KVJ72CEUVW75EFR6EDT4SYWB5WKH7DNSIPZZ7FK4ZRI3R2WYOJFL"
    static let riverHost = "NCRIVERB2KX7Q4ZJ3M5W6T8Y9U0PLOKMNIJBHUVGYCTFXRDZESWAQ2"
    static let harborHost = "NDHARBOR7Q2W3E4R5T6Y7U8I9O0PASDFGHJKLZXCVBNMQWERTYUIO7"

    let dashboard: Dashboard
    let disconnected: Dashboard
    let spy: SpyCapture
    /// Fixed receive times of the spied messages by sequence (the capture stamps wall-clock time).
    let spyTimes: [UInt64: Date]

    private static let cache = Mutex<SnapshotWorld?>(nil)

    static func shared() throws -> SnapshotWorld {
        if let world = cache.withLock({ $0 }) { return world }
        let world = try make()
        cache.withLock { $0 = world }
        return world
    }

    static func make() throws -> SnapshotWorld {
        let inputs = try inputs()
        var dashboard = Dashboard(lattice: "default", server: "nats://127.0.0.1:4222", context: "prod-eu")
        dashboard.timeZone = utc
        dashboard.rttMilliseconds = 1.2
        dashboard.apply(inputs)
        var disconnected = dashboard
        disconnected.apply([.connection(.disconnected, at: at(86)), .tick(now)])
        dashboard.apply([.tick(now)])
        let (spy, times) = makeSpy()
        return SnapshotWorld(dashboard: dashboard, disconnected: disconnected, spy: spy, spyTimes: times)
    }

    // MARK: Inputs

    static func inputs() throws -> [LatticeInput] {
        var timed: [LatticeInput] = []
        // The constructed v1.9 events, each arriving 0.1 s after its own time.
        for raw in try SnapshotFixtures.jsonArray("v1-constructed/events-v1.9.json") {
            switch LatticeEventDecoder.decode(raw) {
            case .success(let event): timed.append(.event(event, at: (event.date ?? base) + 0.1))
            case .failure(let error): throw SnapshotError("fixture event does not decode: \(error)")
            }
        }
        timed.append(.connection(.connected(server: "nats://127.0.0.1:4222"), at: at(0)))
        // Sync 1: three 1.x hosts answer.
        timed += sync(1, at: 5, hosts: [mistySpec(uptime: 3600), riverSpec(uptime: 115), harborSpec()])
        // Providers starting on bold-river and their health reports.
        let river = riverHost, misty = mistyHost
        for (i, p) in riverProviders.enumerated() {
            timed.append(event(.providerStarted(ProviderStartedEvent(hostID: river, imageRef: p.imageRef!, providerID: p.id,
                                                                     annotations: p.annotations ?? [:])), source: river, at: 6.2 + Double(i) * 0.1))
        }
        timed.append(event(.healthCheckPassed(HealthCheckEvent(hostID: river, providerID: "rust_http_kv-kvredis")), source: river, at: 11))
        timed.append(event(.healthCheckPassed(HealthCheckEvent(hostID: river, providerID: "nats-messaging")), source: river, at: 11.5))
        timed.append(event(.healthCheckFailed(HealthCheckEvent(hostID: river, providerID: "rust_http_kv-kvredis")), source: river, at: 71))
        timed.append(event(.healthCheckStatus(HealthCheckEvent(hostID: river, providerID: "nats-messaging")), source: river, at: 71.5))
        timed.append(event(.healthCheckStatus(HealthCheckEvent(hostID: misty, providerID: "rust_http_kv-httpserver")), source: misty, at: 78))
        // v2 hosts: one whose heartbeats stopped at 0:30 (stale after 45 s), one beating.
        timed.append(try v2Heartbeat("published.defaults-only.json", startedAt: at(-600), at: 30))
        timed.append(try v2Heartbeat("published.with-workloads.json", startedAt: at(-7_300), at: 85))
        // Sync 2: old-harbor does not answer any more.
        timed += sync(2, at: 80, hosts: [mistySpec(uptime: 3675), riverSpec(uptime: 190)])
        timed.append(.links(links, syncID: 2, at: at(80.6)))
        timed.append(.configs(configs, syncID: 2, at: at(80.7)))
        timed.append(.applications(applications, syncID: 2, at: at(80.8)))
        timed.append(.syncFinished(id: 2, hostsAnswered: [mistyHost, riverHost], complete: true, at: at(81)))
        // A config changed after the listing: its values are stale until fetched again.
        timed.append(event(.configSet(ConfigEvent(configName: "http-port-config")), source: river, at: 82))
        timed.append(.tick(at(60)))
        timed.append(.tick(at(87)))
        // Stable order by arrival time (inputs at the same time keep their order above).
        return timed.enumerated().sorted { (Dashboard.time($0.element)!, $0.offset) < (Dashboard.time($1.element)!, $1.offset) }.map(\.element)
    }

    static func event(_ payload: LatticeEventPayload, source: String, at seconds: TimeInterval) -> LatticeInput {
        let time = at(seconds)
        let id = String(format: "00000000-0000-7000-8000-%012d", Int(seconds * 10))
        return .event(LatticeEvent.make(payload, source: source, time: time, id: id), at: time + 0.1)
    }

    static func v2Heartbeat(_ file: String, startedAt: Date, at seconds: TimeInterval) throws -> LatticeInput {
        var beat = try V2HostHeartbeat.decode(try FixtureFiles.data("v2-captured/heartbeat/\(file)"))
        beat.startedAt = RFC3339.format(startedAt, fractionalDigits: 6)
        return .v2Heartbeat(beat, subject: "runtime.operator.heartbeat.\(beat.id)", at: at(seconds))
    }

    struct HostSpec {
        var info: HostInfo
        var inventory: HostInventory
    }

    static func sync(_ id: Int, at seconds: TimeInterval, hosts: [HostSpec]) -> [LatticeInput] {
        var out: [LatticeInput] = [.syncStarted(id: id, at: at(seconds))]
        for (i, h) in hosts.enumerated() { out.append(.hostPinged(h.info, syncID: id, at: at(seconds + 0.2 + Double(i) * 0.01))) }
        for (i, h) in hosts.enumerated() { out.append(.inventory(h.inventory, syncID: id, at: at(seconds + 0.4 + Double(i) * 0.01))) }
        if id == 1 { out.append(.syncFinished(id: id, hostsAnswered: Set(hosts.map(\.info.id)), complete: true, at: at(seconds + 1))) }
        return out
    }

    static let appSpec = "wasmcloud.dev/appspec"
    static func wadm(_ app: String) -> [String: String] { [appSpec: app, "wasmcloud.dev/managed-by": "wadm"] }

    static func host(_ id: String, _ name: String, labels: [String: String], version: String, uptime: UInt64,
                     components: [ComponentDescription], providers: [ProviderDescription]) -> HostSpec {
        let all = labels.merging(["hostcore.arch": "x86_64", "hostcore.os": "linux", "hostcore.osfamily": "unix"]) { a, _ in a }
        return HostSpec(
            info: HostInfo(id: id, friendlyName: name, labels: all, lattice: "default", uptimeSeconds: uptime, version: version,
                           ctlHost: "nats://10.0.0.7:4222", rpcHost: "nats://10.0.0.7:4222"),
            inventory: HostInventory(components: components, providers: providers, hostID: id, friendlyName: name, labels: all,
                                     version: version, uptimeHuman: "", uptimeSeconds: uptime))
    }

    static func mistySpec(uptime: UInt64) -> HostSpec {
        host(mistyHost, "misty-forest-3302", labels: ["zone": "eu-west"], version: "1.9.2", uptime: uptime,
             components: [
                ComponentDescription(id: "rust_http_kv-counter", imageRef: "ghcr.io/wasmcloud/components/http-keyvalue-counter-rust:0.1.0",
                                     annotations: wadm("rust-http-kv"), maxInstances: 4),
                ComponentDescription(id: "signed-example", imageRef: "ghcr.io/example/signed-example:1.2.3", name: "signed-example",
                                     revision: 3, maxInstances: 4),
             ],
             providers: [ProviderDescription(id: "rust_http_kv-httpserver", imageRef: "ghcr.io/wasmcloud/http-server:0.27.0",
                                             name: "HTTP Server", annotations: wadm("rust-http-kv"))])
    }

    static let riverProviders = [
        ProviderDescription(id: "blobstore-fs", imageRef: "ghcr.io/wasmcloud/blobstore-fs:0.10.0", name: "Blobstore FS"),
        ProviderDescription(id: "nats-messaging", imageRef: "ghcr.io/wasmcloud/messaging-nats:0.27.0", name: "NATS Messaging",
                            annotations: wadm("messaging-demo")),
        ProviderDescription(id: "rust_http_kv-kvredis", imageRef: "ghcr.io/wasmcloud/keyvalue-redis:0.28.1", name: "KV Redis",
                            annotations: wadm("rust-http-kv")),
    ]

    static func riverSpec(uptime: UInt64) -> HostSpec {
        host(riverHost, "bold-river-2207", labels: ["zone": "us-east", "tier": "gold"], version: "1.9.2", uptime: uptime,
             components: [
                ComponentDescription(id: "echo", imageRef: "ghcr.io/example/echo:0.3.0", name: "Echo", maxInstances: 1),
                ComponentDescription(id: "messaging-demo-processor", imageRef: "ghcr.io/example/messaging-processor:1.0.0",
                                     annotations: wadm("messaging-demo"), maxInstances: 16),
                ComponentDescription(id: "rust_http_kv-counter", imageRef: "ghcr.io/wasmcloud/components/http-keyvalue-counter-rust:0.1.0",
                                     annotations: wadm("rust-http-kv"), maxInstances: 10),
             ],
             providers: riverProviders)
    }

    static func harborSpec() -> HostSpec {
        host(harborHost, "old-harbor-7781", labels: ["zone": "ap-south"], version: "1.8.0", uptime: 3 * 86_400 + 3_600,
             components: [ComponentDescription(id: "legacy-cron", imageRef: "ghcr.io/example/legacy-cron:0.9.1", maxInstances: 1)],
             providers: [])
    }

    static let links = [
        Link(sourceID: "rust_http_kv-httpserver", target: "rust_http_kv-counter", witNamespace: "wasi", witPackage: "http",
             interfaces: ["incoming-handler"], sourceConfig: ["http-port-config"]),
        Link(sourceID: "rust_http_kv-counter", target: "rust_http_kv-kvredis", witNamespace: "wasi", witPackage: "keyvalue",
             interfaces: ["atomics", "store"], targetConfig: ["redis-url"]),
        Link(sourceID: "nats-messaging", target: "messaging-demo-processor", witNamespace: "wasmcloud", witPackage: "messaging",
             interfaces: ["handler"], sourceConfig: ["messaging-subscriptions", "SECRET_nats_creds"]),
        Link(sourceID: "ghost-component", target: "rust_http_kv-kvredis", name: "cache", witNamespace: "wasi", witPackage: "keyvalue",
             interfaces: ["store"]),
    ]

    static let configs: [String: [String: String]] = [
        "http-port-config": ["address": "0.0.0.0:8080"],
        "messaging-subscriptions": ["subscriptions": "orders.>,payments.>"],
        "db-credentials": ["username": "app", "password": "hunter2", "url": "postgres://db.internal:5432/app"],
    ]

    static let applications = [
        ModelSummary(name: "messaging-demo", version: "v1.1.0", description: "Order processing over NATS", deployedVersion: "v1.0.0",
                     status: .reconciling, statusMessage: "scaling messaging-demo-processor to 16 instances"),
        ModelSummary(name: "rust-hello-world", version: "v0.1.0", description: "HTTP hello world", status: .undeployed),
        ModelSummary(name: "rust-http-kv", version: "v0.2.0", description: "HTTP counter backed by Redis", deployedVersion: "v0.2.0",
                     status: .failed, statusMessage: "provider rust_http_kv-kvredis failed its health check"),
    ]

    // MARK: Spy

    /// Three calls (ok, refused with 503, still pending), received at fixed monotonic offsets
    /// ten minutes ago, so the rate sparkline is flat whatever the wall clock says.
    static func makeSpy() -> (SpyCapture, [UInt64: Date]) {
        let capture = SpyCapture()
        let t0 = ContinuousClock.now - .seconds(600)
        func invocation(_ source: String, _ target: String, _ instance: String, _ function: String, reply: String, payload: String,
                        at ms: Int) -> SpyWireMessage {
            SpyWireMessage(subject: "default.\(target).wrpc.0.0.1.\(instance).\(function)", reply: reply,
                           headers: ["source-id": source, "link-name": "default"], payload: Data(payload.utf8), receivedAt: t0 + .milliseconds(ms))
        }
        func reply(_ subject: String, at ms: Int, status: String? = nil, payload: String = "") -> SpyWireMessage {
            SpyWireMessage(subject: subject, headers: status.map { ["Status": $0] } ?? [:], payload: Data(payload.utf8),
                           receivedAt: t0 + .milliseconds(ms))
        }
        var offsets: [Int] = []
        func ingest(_ m: SpyWireMessage, _ stream: SpyDecoder.Stream, _ ms: Int) {
            capture.ingest([m], from: stream)
            offsets.append(ms)
        }
        ingest(invocation("rust_http_kv-httpserver", "rust_http_kv-counter", "wasi:http/incoming-handler@0.2.0", "handle",
                          reply: "_INBOX.a.1", payload: "GET /counter HTTP/1.1", at: 0), .invocations, 0)
        ingest(reply("_INBOX.a.1", at: 1), .inboxes, 1)
        ingest(invocation("rust_http_kv-counter", "rust_http_kv-kvredis", "wasi:keyvalue/atomics@0.2.0-draft", "increment",
                          reply: "_INBOX.b.1", payload: "counter", at: 2), .invocations, 2)
        ingest(reply("_INBOX.b.1", at: 3, status: "503"), .inboxes, 3)
        ingest(reply("_INBOX.a.1.results", at: 5, payload: "{\"count\":42}"), .inboxes, 5)
        ingest(invocation("nats-messaging", "messaging-demo-processor", "wasmcloud:messaging/handler@0.2.0", "handle-message",
                          reply: "_INBOX.c.1", payload: "{\"subject\":\"orders.new\",\"id\":7}", at: 900), .invocations, 900)
        let sequences = capture.snapshot(limit: 100).messages.map(\.sequence).sorted()
        var times: [UInt64: Date] = [:]
        for (seq, ms) in zip(sequences, offsets) { times[seq] = at(89) + Double(ms) / 1000 }
        return (capture, times)
    }

    // MARK: Rendering

    func render(_ scene: SnapshotScene, size: Size) -> String {
        var app = AppState(contextName: "prod-eu")
        var model = dashboard
        var spyData: SpyData?
        switch scene {
        case .hosts, .help: app.pane = .hosts
        case .components: app.pane = .components
        case .providers: app.pane = .providers
        case .links: app.pane = .links
        case .config: app.pane = .config
        case .apps: app.pane = .apps
        case .events: app.pane = .events
        case .spy: app.pane = .spy; spyData = SpyData.taken(from: spy, scope: "lattice default", revision: 1)
        case .hostDetail: app.pane = .hosts; app.drills[.hosts] = [.host(Self.riverHost)]
        case .providerDetail:
            app.pane = .providers
            app.drills[.providers] = [.provider(hostID: Self.riverHost, providerID: "rust_http_kv-kvredis")]
        case .connectionLost: app.pane = .hosts; model = disconnected
        }
        if scene == .help { app.mode = .help(offset: 0) }
        let header = model.header(now: Self.now)
        var view = model.view(for: app.pane, drill: app.drill, now: Self.now, paused: false, spy: spyData)
        if scene == .spy { view = pinSpyTimes(view) }
        view = view.arranged(filter: app.filters[app.pane], sort: app.sorts[app.pane])
        app.reconcileSelection(view, visibleRows: Screen.visibleRows(size: size, banner: header.banner != nil))
        let canvas = Screen.render(app: app, header: header, view: view, size: size, theme: .default, now: Self.now)
        return canvas.lines().joined(separator: "\n") + "\n"
    }

    /// The spy stamps messages with the wall clock when they arrive; pin those cells.
    private func pinSpyTimes(_ view: PaneView) -> PaneView {
        var copy = view
        copy.rows = view.rows.map { row in
            var row = row
            if row.id.hasPrefix("spy/"), let seq = UInt64(row.id.dropFirst(4)), let time = spyTimes[seq], !row.cells.isEmpty {
                row.cells[0] = ClockText.format(time, timeZone: Self.utc, milliseconds: true)
            }
            return row
        }
        return copy
    }
}

// MARK: - Files

/// Fixture files for the snapshot world, from `Tests/Fixtures`.
enum SnapshotFixtures {
    /// The members of a JSON array file, each as its own JSON bytes.
    static func jsonArray(_ relativePath: String) throws -> [Data] {
        guard let values = try JSONSerialization.jsonObject(with: FixtureFiles.data(relativePath)) as? [Any] else {
            throw SnapshotError("\(relativePath) is not a JSON array")
        }
        return try values.map { try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
    }
}

enum SnapshotFile {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots", isDirectory: true)
    static var recording: Bool { ProcessInfo.processInfo.environment["LATTICETOP_RECORD_SNAPSHOTS"] == "1" }

    /// Compares `text` with the stored snapshot, or writes it in record mode (and fails, saying so).
    static func assertMatches(_ text: String, name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = directory.appendingPathComponent("\(name).txt")
        if recording {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            Issue.record("recorded snapshot \(file.lastPathComponent); unset LATTICETOP_RECORD_SNAPSHOTS to compare", sourceLocation: sourceLocation)
            return
        }
        guard let stored = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no snapshot \(file.path); run with LATTICETOP_RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
            return
        }
        if stored != text {
            let expected = stored.components(separatedBy: "\n"), actual = text.components(separatedBy: "\n")
            let diff = (0..<max(expected.count, actual.count)).compactMap { i -> String? in
                let e = i < expected.count ? expected[i] : "<none>", a = i < actual.count ? actual[i] : "<none>"
                return e == a ? nil : "line \(i + 1):\n  expected: \(e)\n  actual:   \(a)"
            }
            Issue.record("snapshot \(name) differs:\n\(diff.prefix(12).joined(separator: "\n"))\n--- actual ---\n\(text)", sourceLocation: sourceLocation)
        }
    }
}

struct SnapshotError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
