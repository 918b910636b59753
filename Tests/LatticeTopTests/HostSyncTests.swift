import EmbeddedNATS
import Foundation
import LatticeClient
import LatticeMonitor
import LatticeProtocol
import LatticeState
@testable import NATSKit
import NATSTestSupport
import Synchronization
import Testing

/// The sync's ping → `host.get` path (`LatticeClient.hostSync`, the monitor's sync) with many
/// hosts at once and every kind of answer, against a real nats-server: each host's outcome is
/// its own (inventory, malformed, refused, timed out after a second ask), malformed and refused
/// ping replies are counted, and all the requests share the connection's one timer.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct HostSyncTests {
    /// A fake lattice of `count` hosts on one connection: every host answers the ping; host `i`'s
    /// `host.get` is answered (i % 4 == 0), malformed (1), never (2), or refused (3). Plus one
    /// malformed and one refused ping reply, and a host whose ID cannot be a subject token.
    final class FakeLattice: Sendable {
        let count: Int
        /// How often each host's `host.get` was asked.
        final class Asked: Sendable {
            let counts = Mutex<[String: Int]>([:])
        }

        let asked = Asked()
        private let tasks: [Task<Void, Never>]
        private let subs: [NATSSubscription]

        static func id(_ i: Int) -> String { "N" + String(format: "%055d", i) }
        static let dottedID = "N.DOTTED"

        init(_ connection: NATSConnection, count: Int) throws {
            self.count = count
            let pings = try connection.subscribe("wasmbus.ctl.v1.default.host.ping")
            let gets = try connection.subscribe("wasmbus.ctl.v1.default.host.get.*")
            subs = [pings, gets]
            let asked = self.asked
            tasks = [
                Task {
                    for await batch in pings {
                        for m in batch {
                            guard let reply = m.reply else { continue }
                            for id in (0..<count).map(Self.id) + [Self.dottedID] {
                                try? connection.publish(reply, payload: Data(
                                    #"{"success":true,"message":"","response":{"id":"\#(id)","friendly_name":"h","lattice":"default","uptime_seconds":5,"labels":{}}}"#.utf8))
                            }
                            try? connection.publish(reply, payload: Data("{not json".utf8))
                            try? connection.publish(reply, payload: Data(#"{"success":false,"message":"ping refused","response":null}"#.utf8))
                        }
                    }
                },
                Task {
                    for await batch in gets {
                        for m in batch {
                            guard let reply = m.reply, let id = m.subject.split(separator: ".").last.map(String.init),
                                  let i = Int(id.dropFirst()) else { continue }
                            asked.counts.withLock { $0[id, default: 0] += 1 }
                            let payload: String
                            switch i % 4 {
                            case 0:
                                payload = #"{"success":true,"message":"","response":{"host_id":"\#(id)","friendly_name":"h","labels":{},"version":"1.9.2","uptime_human":"5s","uptime_seconds":5,"components":[],"providers":[]}}"#
                            case 1: payload = #"{"success":true,"#
                            case 2: continue
                            default: payload = #"{"success":false,"message":"busy","response":null}"#
                            }
                            try? connection.publish(reply, payload: Data(payload.utf8))
                        }
                    }
                },
            ]
            try connection.flush()
        }

        func stop() {
            subs.forEach { $0.unsubscribe() }
            tasks.forEach { $0.cancel() }
        }
    }

    @Test func everyHostsOutcomeIsItsOwnAndAllRequestsShareOneTimer() async throws {
        let server = try NATSServerProcess(.init())
        defer { server.stop() }
        let hostSide = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { hostSide.close() }
        let n = 800
        let lattice = try FakeLattice(hostSide, count: n)
        defer { lattice.stop() }
        let connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { connection.close() }
        let client = LatticeClient(connection: connection, timeout: .milliseconds(700), gatherWindow: .milliseconds(500))
        let monitor = LatticeMonitor(client: client, configuration: MonitorConfiguration(watchV2Hosts: false, watchWadm: false))
        try await monitor.start()
        let inputs = await LatticeMonitorTests.collect(monitor, timeout: .seconds(30)) { all in
            all.contains { if case .syncFinished = $0 { return true } else { return false } }
        }
        await monitor.stop()

        var pingedAt: [String: Int] = [:], inventoryAt: [String: Int] = [:]
        var failures: [String: String] = [:], pingFailures: [String] = []
        var answered: Set<String>?
        for (k, input) in inputs.enumerated() {
            switch input {
            case .hostPinged(let h, _, _): pingedAt[h.id] = k
            case .inventory(let inv, _, _): inventoryAt[inv.hostID] = k
            case .syncFailed("host.ping", let message, _): pingFailures.append(message)
            case .syncFailed(let step, let message, _) where step.hasPrefix("host.get "):
                failures[String(step.dropFirst("host.get ".count))] = message
            case .syncFinished(_, let hosts, true, _): answered = hosts
            default: break
            }
        }
        let ids = (0..<n).map(FakeLattice.id)
        #expect(Set(pingedAt.keys) == Set(ids + [FakeLattice.dottedID]))
        #expect(answered == Set(ids + [FakeLattice.dottedID]))
        #expect(pingFailures.count == 2)
        #expect(pingFailures.contains { $0.hasPrefix("malformed reply on wasmbus.ctl.v1.default.host.ping") })
        #expect(pingFailures.contains("refused: ping refused"))
        #expect(Set(inventoryAt.keys) == Set(ids.enumerated().filter { $0.offset % 4 == 0 }.map(\.element)))
        // Each host's inventory after its ping.
        #expect(inventoryAt.allSatisfy { id, k in (pingedAt[id] ?? .max) < k })
        #expect(failures.count == n / 4 * 3 + 1)
        #expect(failures[FakeLattice.dottedID]?.contains("must not contain") == true)
        for (i, id) in ids.enumerated() {
            switch i % 4 {
            case 0: #expect(failures[id] == nil)
            case 1: #expect(failures[id]?.hasPrefix("malformed reply on wasmbus.ctl.v1.default.host.get.\(id)") == true, "\(failures[id] ?? "-")")
            case 2: #expect(failures[id] == "timed out waiting for a reply on wasmbus.ctl.v1.default.host.get.\(id)")
            default: #expect(failures[id] == "refused: busy")
            }
        }
        // A silent host was asked twice (the second ask after the timeout), the others once.
        let asked = lattice.asked.counts.withLock { $0 }
        #expect(ids.enumerated().allSatisfy { i, id in asked[id] == (i % 4 == 2 ? 2 : 1) })
        #expect(connection.requestTimersMade == 1)
        #expect(connection.requestsInFlight.requests == 0)
    }

    /// The `host.get`s go out as the ping replies arrive, on the thread that delivers them: with
    /// every thread of the task pool busy (a loaded dashboard), they are not held back until a task
    /// can run. Each ping is `share`d there too, so a resync's pings do not wait for the reader
    /// with their own copies of every host's ID, labels and name. The fake hosts here answer on
    /// cnats threads, without tasks; the ping is answered only once the pool is blocked.
    @Test func hostGetsGoOutWhileTheTaskPoolIsBusy() async throws {
        let server = try NATSServerProcess(.init())
        defer { server.stop() }
        let hostSide = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { hostSide.close() }
        let n = 200
        let width = ProcessInfo.processInfo.activeProcessorCount
        let blocking = Count(), asked = Count(), shared = Count()
        let pings = try hostSide.subscribe("wasmbus.ctl.v1.default.host.ping", direct: { m in
            guard let reply = m?.reply else { return }
            // Answered once every thread of the pool is held.
            let deadline = ContinuousClock.now + .seconds(10)
            while blocking.value.load(ordering: .acquiring) < width, ContinuousClock.now < deadline { usleep(1_000) }
            for i in 0..<n {
                let id = FakeLattice.id(i)
                try? hostSide.publish(reply, payload: Data(
                    #"{"success":true,"message":"","response":{"id":"\#(id)","friendly_name":"h","lattice":"default","uptime_seconds":5,"labels":{}}}"#.utf8))
            }
        })
        defer { pings.unsubscribe() }
        let gets = try hostSide.subscribe("wasmbus.ctl.v1.default.host.get.*", direct: { m in
            if m != nil { asked.value.add(1, ordering: .releasing) }
        })
        defer { gets.unsubscribe() }
        try hostSide.flush()
        let connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { connection.close() }
        let client = LatticeClient(connection: connection, timeout: .milliseconds(500), gatherWindow: .milliseconds(300))
        let sync = try client.hostSync { event in
            if case .pinged = event { shared.value.add(1, ordering: .releasing) }
            return event
        }
        // Every thread of the pool spins until every host.get arrived and every ping was shared
        // (or 5 s passed).
        let blockers = (0..<width).map { _ in
            Task.detached { () -> (asked: Int, shared: Int) in
                blocking.value.add(1, ordering: .releasing)
                let deadline = ContinuousClock.now + .seconds(5)
                while asked.value.load(ordering: .acquiring) < n || shared.value.load(ordering: .acquiring) < n,
                      ContinuousClock.now < deadline { usleep(1_000) }
                return (asked.value.load(ordering: .acquiring), shared.value.load(ordering: .acquiring))
            }
        }
        var whileBlocked: [(asked: Int, shared: Int)] = []
        for blocker in blockers { whileBlocked.append(await blocker.value) }
        #expect(whileBlocked.allSatisfy { $0.asked == n }, "host.get asked while the pool was busy: \(whileBlocked)")
        #expect(whileBlocked.allSatisfy { $0.shared == n }, "pings shared while the pool was busy: \(whileBlocked)")
        var failures = 0
        for await batch in sync {
            failures += batch.count { if case .inventoryFailed = $0 { true } else { false } }
        }
        // Nobody answers the host.get: each timed out, asked twice. Each ping shared once.
        #expect(failures == n && shared.value.load(ordering: .acquiring) == n)
        #expect(asked.value.load(ordering: .acquiring) == 2 * n)
    }

    /// A count shared with callbacks.
    final class Count: Sendable {
        let value = Atomic<Int>(0)
    }

    /// The same stream as `latticetop get inventory` reads it (`LatticeClient.inventories()`).
    @Test func inventoriesStreamsEveryHostsOutcome() async throws {
        let server = try NATSServerProcess(.init())
        defer { server.stop() }
        let hostSide = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { hostSide.close() }
        let lattice = try FakeLattice(hostSide, count: 40)
        defer { lattice.stop() }
        let connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { connection.close() }
        let client = LatticeClient(connection: connection, timeout: .milliseconds(400), gatherWindow: .milliseconds(300))
        var inventories: [String] = [], errors: [LatticeClientError] = []
        for await r in try client.inventories() {
            switch r {
            case .success(let inv): inventories.append(inv.hostID)
            case .failure(let e): errors.append(e)
            }
        }
        #expect(Set(inventories) == Set((0..<40).filter { $0 % 4 == 0 }.map(FakeLattice.id)))
        #expect(errors.count == 30 + 1 + 2)
        #expect(errors.filter { if case .timeout = $0 { true } else { false } }.count == 10)
        #expect(errors.filter { if case .refused = $0 { true } else { false } }.count == 11)
        #expect(errors.filter { if case .malformedReply = $0 { true } else { false } }.count == 11)
        #expect(errors.filter { if case .invalidArgument = $0 { true } else { false } }.count == 1)
    }
}
