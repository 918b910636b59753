import EmbeddedNATS
import Foundation
import LatticeClient
import LatticeMonitor
import LatticeProtocol
import LatticeSim
import LatticeState
import NATSKit
import NATSTestSupport
import Synchronization
import Testing

/// The subscription actor against the simulator on a real nats-server.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct LatticeMonitorTests {
    /// Collects inputs from a monitor until `done` holds for what has arrived.
    static func collect(_ monitor: LatticeMonitor, timeout: Duration = .seconds(15),
                        until done: ([LatticeInput]) -> Bool) async -> [LatticeInput] {
        var all: [LatticeInput] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !done(all) {
            all += monitor.inputs.drain()
            try? await Task.sleep(for: .milliseconds(30))
        }
        return all + monitor.inputs.drain()
    }

    @Test func initialSyncStreamsEveryPartAndConfigComesFromTheBucket() async throws {
        try await LatticeFixture.using() { f in
            let monitor = LatticeMonitor(client: f.client)
            try await monitor.start()
            let inputs = await Self.collect(monitor) { all in
                all.contains { if case .syncFinished = $0 { return true } else { return false } }
            }
            await monitor.stop()
            var pinged: [String] = [], inventories: [String] = [], links: [Link]? = nil
            var configs: [String: [String: String]]?? = .none, apps: [ModelSummary]?? = .none
            var finished: (Set<String>, Bool)?
            var firstInventoryBeforeFinish = false
            for input in inputs {
                switch input {
                case .hostPinged(let h, _, _): pinged.append(h.id)
                case .inventory(let inv, _, _):
                    inventories.append(inv.hostID)
                    if finished == nil { firstInventoryBeforeFinish = true }
                case .links(let l, _, _): links = l
                case .configs(let c, _, _): configs = .some(c)
                case .applications(let a, _, _): apps = .some(a)
                case .syncFinished(_, let answered, let complete, _): finished = (answered, complete)
                case .syncFailed(let step, let message, _): Issue.record("sync step \(step) failed: \(message)")
                default: break
                }
            }
            let hostIDs = Set(await f.simulator.hostIDs)
            #expect(Set(pinged) == hostIDs)
            #expect(Set(inventories) == hostIDs)
            #expect(firstInventoryBeforeFinish)
            #expect(links?.count == 4)
            #expect(configs??.keys.sorted() == ["messaging-subscriptions", "rust_hello_world-default_http",
                                                 "rust_http_kv-default_http", "rust_http_kv-redis_url"])
            #expect(configs??["rust_http_kv-redis_url"] == ["url": "redis://127.0.0.1:6379", "password": "demo-redis-password"])
            #expect(apps??.map(\.name) == ["rust-hello-world", "rust-http-kv"])
            #expect(finished?.0 == hostIDs)
            #expect(finished?.1 == true)
        }
    }

    @Test func eventsAndMalformedMessagesArriveAsInputs() async throws {
        try await LatticeFixture.using() { f in
            let monitor = LatticeMonitor(client: f.client, configuration: MonitorConfiguration(eventsOnly: true))
            try await monitor.start()
            try f.connection.publish("wasmbus.evt.default.host_heartbeat", payload: Data("{not json".utf8))
            try f.connection.publish("wasmbus.evt.default.something_new",
                                     payload: Data(#"{"specversion":"1.0","id":"x","type":"com.wasmcloud.lattice.something_new","source":"N1","data":{}}"#.utf8))
            let host = try #require(await f.simulator.runningHostIDs.first)
            try await f.client.putConfig(name: "watched", values: ["k": "v"])
            let inputs = await Self.collect(monitor) { all in
                all.contains { if case .undecodable = $0 { return true } else { return false } }
                    && all.contains { if case .event(let e, _) = $0, case .configSet(let c) = e.payload { return c.configName == "watched" } else { return false } }
                    && all.contains { if case .event(let e, _) = $0 { return e.knownType == .hostHeartbeat && e.source == host } else { return false } }
            }
            await monitor.stop()
            let malformed = inputs.compactMap { if case .undecodable(let s, let r, _, _) = $0 { return (s, r) } else { return nil } }
            #expect(malformed.first?.0 == "wasmbus.evt.default.host_heartbeat")
            #expect(inputs.contains { if case .event(let e, _) = $0, case .unknown(let t, _) = e.payload { return t == "com.wasmcloud.lattice.something_new" } else { return false } })
            #expect(!inputs.contains { if case .syncStarted = $0 { return true } else { return false } })
        }
    }

    @Test func reconnectAfterServerRestartResyncs() async throws {
        let server = try NATSServerProcess(.init(jetStream: true))
        defer { server.stop() }
        let simConnection = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        let simulator = LatticeSimulator(connection: simConnection, configuration: .fast(hosts: 2))
        try await simulator.start()
        var options = NATSConnectionOptions(servers: [server.url])
        options.reconnectWait = .milliseconds(100)
        options.maxReconnectWait = .milliseconds(500)
        let connection = try await NATSConnection.connect(options)
        let client = LatticeClient(connection: connection, timeout: .seconds(2), gatherWindow: .milliseconds(500))
        let monitor = LatticeMonitor(client: client, configuration: MonitorConfiguration(reconnectFollowUp: .seconds(3)))
        try await monitor.start()
        _ = await Self.collect(monitor) { all in all.contains { if case .syncFinished = $0 { return true } else { return false } } }

        server.kill9()
        try server.start()
        let inputs = await Self.collect(monitor, timeout: .seconds(20)) { all in
            all.contains { if case .syncFinished(_, let hosts, true, _) = $0 { return hosts.count == 2 } else { return false } }
        }
        #expect(inputs.contains { if case .connection(.disconnected, _) = $0 { return true } else { return false } })
        #expect(inputs.contains { if case .connection(.connected, _) = $0 { return true } else { return false } })
        #expect(inputs.contains { if case .syncStarted = $0 { return true } else { return false } })
        #expect(inputs.contains { if case .syncFinished(_, let hosts, true, _) = $0 { return hosts.count == 2 } else { return false } })
        await monitor.stop()
        await simulator.stop()
        connection.close()
        simConnection.close()
    }

    /// A host that answers its ping but not the first `host.get` in time (busy with a big
    /// lattice's burst) is asked once more: its inventory is in the sync, no failure.
    @Test func aHostGetThatTimesOutIsAskedOnceMore() async throws {
        let server = try NATSServerProcess(.init())
        defer { server.stop() }
        let host = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { host.close() }
        let id = "N" + String(repeating: "SLOWHOST", count: 7).prefix(55)
        let asked = Mutex(0)
        let pings = try Responder(host, subject: "wasmbus.ctl.v1.default.host.ping") { _ in
            Data(#"{"success":true,"message":"","response":{"id":"\#(id)","friendly_name":"slow-host","lattice":"default","uptime_seconds":5,"labels":{}}}"#.utf8)
        }
        defer { pings.stop() }
        let gets = try Responder(host, subject: "wasmbus.ctl.v1.default.host.get.\(id)") { _ in
            // The first request goes unanswered (as if answered after the timeout).
            guard asked.withLock({ $0 += 1; return $0 }) > 1 else { return nil }
            return Data(#"{"success":true,"message":"","response":{"host_id":"\#(id)","friendly_name":"slow-host","labels":{},"version":"1.9.2","uptime_human":"5s","uptime_seconds":5,"components":[],"providers":[]}}"#.utf8)
        }
        defer { gets.stop() }
        let connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { connection.close() }
        let client = LatticeClient(connection: connection, timeout: .milliseconds(500), gatherWindow: .milliseconds(300))
        let monitor = LatticeMonitor(client: client, configuration: MonitorConfiguration(watchV2Hosts: false, watchWadm: false))
        try await monitor.start()
        let inputs = await Self.collect(monitor) { all in all.contains { if case .syncFinished = $0 { return true } else { return false } } }
        await monitor.stop()
        #expect(asked.withLock { $0 } == 2)
        #expect(inputs.contains { if case .inventory(let inventory, _, _) = $0 { return inventory.hostID == id } else { return false } })
        #expect(!inputs.contains { if case .syncFailed(let step, _, _) = $0 { return step.hasPrefix("host.get") } else { return false } })
        #expect(inputs.contains { if case .syncFinished(_, let answered, true, _) = $0 { return answered == [id] } else { return false } })
    }

    /// A host that answers its first `host.get` only after the timeout, and never the second
    /// ask (still busy with the burst): the late answer to the first ask is its inventory.
    @Test func aLateAnswerToTheFirstHostGetCounts() async throws {
        let server = try NATSServerProcess(.init())
        defer { server.stop() }
        let host = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { host.close() }
        let id = "N" + String(repeating: "LATEHOST", count: 7).prefix(55)
        let asked = Mutex(0)
        let pings = try Responder(host, subject: "wasmbus.ctl.v1.default.host.ping") { _ in
            Data(#"{"success":true,"message":"","response":{"id":"\#(id)","friendly_name":"late-host","lattice":"default","uptime_seconds":5,"labels":{}}}"#.utf8)
        }
        defer { pings.stop() }
        let inventory = Data(#"{"success":true,"message":"","response":{"host_id":"\#(id)","friendly_name":"late-host","labels":{},"version":"1.9.2","uptime_human":"5s","uptime_seconds":5,"components":[],"providers":[]}}"#.utf8)
        let gets = try Responder(host, subject: "wasmbus.ctl.v1.default.host.get.\(id)") { m in
            guard asked.withLock({ $0 += 1; return $0 }) == 1, let reply = m.reply else { return nil }
            Task {
                try? await Task.sleep(for: .milliseconds(800))
                try? host.publish(reply, payload: inventory)
            }
            return nil
        }
        defer { gets.stop() }
        let connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { connection.close() }
        let client = LatticeClient(connection: connection, timeout: .milliseconds(500), gatherWindow: .milliseconds(300))
        let monitor = LatticeMonitor(client: client, configuration: MonitorConfiguration(watchV2Hosts: false, watchWadm: false))
        try await monitor.start()
        let inputs = await Self.collect(monitor) { all in all.contains { if case .syncFinished = $0 { return true } else { return false } } }
        await monitor.stop()
        #expect(asked.withLock { $0 } == 2)
        #expect(inputs.contains { if case .inventory(let inventory, _, _) = $0 { return inventory.hostID == id } else { return false } })
        #expect(!inputs.contains { if case .syncFailed(let step, _, _) = $0 { return step.hasPrefix("host.get") } else { return false } })
    }

    /// The dashboard's monitor (`supersedesWaitingInputs`) hands over one heartbeat per host and
    /// one health status per provider on a host of what came while the UI did not take; a
    /// monitor as `events` has it hands over every one. Real nats-server, no simulator.
    @Test func theDashboardsHandOverKeepsTheNewestHeartbeatAndEventsSeesEveryOne() async throws {
        try await LatticeFixture.using(startSimulator: false) { f in
            var superseding = MonitorConfiguration(eventsOnly: true)
            superseding.supersedesWaitingInputs = true
            let dashboard = LatticeMonitor(client: f.client, configuration: superseding)
            let events = LatticeMonitor(client: f.client, configuration: MonitorConfiguration(eventsOnly: true))
            try await dashboard.start()
            try await events.start()
            // What the start hands over (the connection) is taken first: then only what is published below waits.
            try await Task.sleep(for: .milliseconds(300))
            _ = dashboard.inputs.drain()
            let host = "NSUPERSEDEDHOST"
            for i in 1...40 {
                let inventory = HostInventory(components: [], providers: [ProviderDescription(id: "p1")], hostID: host, friendlyName: "h",
                                              labels: [:], version: "1.9.2", uptimeHuman: "\(i)s", uptimeSeconds: UInt64(i))
                for event in [LatticeEvent.make(.hostHeartbeat(inventory), source: host),
                              LatticeEvent.make(.healthCheckStatus(HealthCheckEvent(hostID: host, providerID: "p1")), source: host)] {
                    try f.connection.publish(try #require(event.subject(lattice: "default")), payload: try event.encoded())
                }
            }
            let marker = LatticeEvent.make(.hostStarted(HostStartedEvent(friendlyName: "marker", labels: [:], version: "1.9.2")), source: "NMARKER")
            try f.connection.publish(try #require(marker.subject(lattice: "default")), payload: try marker.encoded())
            func isMarker(_ input: LatticeInput) -> Bool { if case .event(let e, _) = input { return e.source == "NMARKER" } else { return false } }
            let all = await Self.collect(events) { $0.contains(where: isMarker) }
            // The dashboard's queue was not taken meanwhile: everything that came waits there (its
            // own subscription may deliver later than the events monitor's): the newest heartbeat,
            // the newest status and the marker.
            let deadline = ContinuousClock.now + .seconds(10)
            while dashboard.inputs.supersededTotal < 78 || dashboard.inputs.count < 3, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            let (taken, dropped, superseded) = dashboard.inputs.drainCounting()
            await dashboard.stop()
            await events.stop()
            func heartbeats(_ inputs: [LatticeInput]) -> [UInt64] {
                inputs.compactMap { if case .event(let e, _) = $0, case .hostHeartbeat(let inv) = e.payload { return inv.uptimeSeconds } else { return nil } }
            }
            func statuses(_ inputs: [LatticeInput]) -> Int {
                inputs.filter { if case .event(let e, _) = $0, case .healthCheckStatus = e.payload { return true } else { return false } }.count
            }
            #expect(heartbeats(all) == Array(1...40), "events sees every heartbeat, in order")
            #expect(statuses(all) == 40)
            #expect(heartbeats(taken) == [40], "the dashboard takes the newest heartbeat only")
            #expect(statuses(taken) == 1)
            #expect(taken.last.map(isMarker) == true, "the marker came last and stays last")
            #expect(superseded == 78 && dropped == 0)
        }
    }
}
