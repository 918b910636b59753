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

/// A sync's `host.get` requests in flight (`LatticeClient.hostSync(maxInFlight:)`,
/// `MonitorConfiguration.resyncInFlight`), against a real nats-server: bounded, a host is asked
/// once a place is free and every host still gets its outcome; the first sync asks every host
/// at once, later ones keep to the bound.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SyncInFlightTests {
    /// `count` fake hosts that answer the ping at once and each `host.get` a few milliseconds
    /// later (all requests received meanwhile at once), except every 50th host (from the 7th),
    /// which never answers. Counts the requests received and not yet answered, the most at once
    /// per ping (a sync).
    final class SlowLattice: Sendable {
        struct State {
            var pending: [(reply: String, id: String)] = []
            var mostPending: [Int] = []
            var asked: [String: Int] = [:]
        }

        final class Shared: Sendable {
            let state = Mutex(State())
        }

        let count: Int
        let shared = Shared()
        private let tasks: [Task<Void, Never>]
        private let subs: [NATSSubscription]

        static func id(_ i: Int) -> String { "N" + String(format: "%055d", i) }
        static func isSilent(_ i: Int) -> Bool { i % 50 == 7 }

        /// The most `host.get` requests waiting for their answer at once, per sync (ping) so far.
        var mostPending: [Int] { shared.state.withLock { $0.mostPending } }

        init(_ connection: NATSConnection, count: Int) throws {
            self.count = count
            let pings = try connection.subscribe("wasmbus.ctl.v1.default.host.ping")
            let gets = try connection.subscribe("wasmbus.ctl.v1.default.host.get.*")
            subs = [pings, gets]
            let shared = self.shared
            tasks = [
                Task {
                    for await batch in pings {
                        for m in batch {
                            guard let reply = m.reply else { continue }
                            shared.state.withLock { $0.mostPending.append(0) }
                            for id in (0..<count).map(Self.id) {
                                try? connection.publish(reply, payload: Data(
                                    #"{"success":true,"message":"","response":{"id":"\#(id)","friendly_name":"h","lattice":"default","uptime_seconds":5,"labels":{}}}"#.utf8))
                            }
                        }
                    }
                },
                Task {
                    for await batch in gets {
                        shared.state.withLock { s in
                            for m in batch {
                                guard let reply = m.reply, let id = m.subject.split(separator: ".").last.map(String.init),
                                      let i = Int(id.dropFirst()) else { continue }
                                s.asked[id, default: 0] += 1
                                guard !Self.isSilent(i) else { continue }
                                s.pending.append((reply, id))
                                if !s.mostPending.isEmpty { s.mostPending[s.mostPending.count - 1] = max(s.mostPending.last!, s.pending.count) }
                            }
                        }
                    }
                },
                Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(5))
                        let due = shared.state.withLock { s in
                            defer { s.pending = [] }
                            return s.pending
                        }
                        for (reply, id) in due {
                            try? connection.publish(reply, payload: Data(
                                #"{"success":true,"message":"","response":{"host_id":"\#(id)","friendly_name":"h","labels":{},"version":"1.9.2","uptime_human":"5s","uptime_seconds":5,"components":[],"providers":[]}}"#.utf8))
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

    /// A nats-server, `n` slow fake hosts on one connection and a client on another.
    static func withSlowLattice(_ n: Int, _ body: (SlowLattice, LatticeClient, NATSConnection) async throws -> Void) async throws {
        let server = try NATSServerProcess(.init())
        defer { server.stop() }
        let hostSide = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { hostSide.close() }
        let lattice = try SlowLattice(hostSide, count: n)
        defer { lattice.stop() }
        let connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url]))
        defer { connection.close() }
        let client = LatticeClient(connection: connection, timeout: .milliseconds(300), gatherWindow: .milliseconds(400))
        try await body(lattice, client, connection)
    }

    @Test func boundedHostGetsStillGiveEveryHostItsOutcome() async throws {
        let n = 300
        try await Self.withSlowLattice(n) { lattice, client, connection in
            var pinged = Set<String>(), inventories = Set<String>(), failures: [String: LatticeClientError] = [:]
            for await batch in try client.hostSync(maxInFlight: 16) {
                for event in batch {
                    switch event {
                    case .pinged(let host): pinged.insert(host.id)
                    case .inventory(let inventory): inventories.insert(inventory.hostID)
                    case .inventoryFailed(let id, let error): failures[id] = error
                    case .pingFailed(let error): Issue.record("ping failed: \(error)")
                    }
                }
            }
            let ids = (0..<n).map(SlowLattice.id)
            #expect(pinged == Set(ids))
            #expect(inventories == Set(ids.enumerated().filter { !SlowLattice.isSilent($0.offset) }.map(\.element)))
            #expect(Set(failures.keys) == Set(ids.enumerated().filter { SlowLattice.isSilent($0.offset) }.map(\.element)))
            #expect(failures.values.allSatisfy { if case .timeout = $0 { true } else { false } })
            // Never more than 16 out at once (the silent hosts hold their places until they time out).
            let most = lattice.mostPending
            #expect(most.count == 1 && most[0] > 0 && most[0] <= 16, "\(most)")
            // Each host asked once, a silent one once more after its timeout.
            let asked = lattice.shared.state.withLock { $0.asked }
            #expect(ids.enumerated().allSatisfy { i, id in asked[id] == (SlowLattice.isSilent(i) ? 2 : 1) })
            #expect(connection.requestsInFlight.requests == 0)
        }
    }

    /// A reader held back (a busy task pool) holds the requests back: a place in flight is
    /// freed once the reader has read its reply, not when the reply arrives, so undecoded replies
    /// cannot pile up beyond the bound.
    @Test func aHeldBackReaderHoldsTheRequestsBack() async throws {
        let n = 300
        try await Self.withSlowLattice(n) { lattice, client, _ in
            let held = Mutex(false)
            let askedWhileHeld = Mutex<Int?>(nil)
            let share: @Sendable (HostSyncEvent) -> HostSyncEvent = { event in
                guard case .inventory = event, held.withLock({ h in defer { h = true }; return !h }) else { return event }
                // The first inventory read holds the reader for a second.
                Thread.sleep(forTimeInterval: 1)
                let hosts = lattice.shared.state.withLock { $0.asked.count }
                askedWhileHeld.withLock { $0 = hosts }
                return event
            }
            var inventories = Set<String>()
            for await batch in try client.hostSync(maxInFlight: 16, share: share) {
                for case .inventory(let inventory) in batch { inventories.insert(inventory.hostID) }
            }
            // The 16 places were taken before the reader read a reply; no host was asked while
            // it was held (without the bound on unread replies: all 300 were).
            let asked = askedWhileHeld.withLock { $0 }
            #expect(asked.map { $0 > 0 && $0 <= 16 } == true, "\(String(describing: asked))")
            // Every answering host still gets its inventory.
            let ids = (0..<n).map(SlowLattice.id)
            #expect(inventories == Set(ids.enumerated().filter { !SlowLattice.isSilent($0.offset) }.map(\.element)))
        }
    }

    @Test(arguments: [nil, 16])
    func theFirstSyncKeepsToItsBoundLaterOnesToTheirs(firstSyncInFlight: Int?) async throws {
        let n = 300
        try await Self.withSlowLattice(n) { lattice, client, _ in
            var configuration = MonitorConfiguration(resyncInterval: .seconds(3600), watchV2Hosts: false, watchWadm: false)
            configuration.firstSyncInFlight = firstSyncInFlight
            configuration.resyncInFlight = 8
            let monitor = LatticeMonitor(client: client, configuration: configuration)
            try await monitor.start()
            func finished(_ all: [LatticeInput]) -> Int {
                all.filter { if case .syncFinished = $0 { return true } else { return false } }.count
            }
            var inputs = await LatticeMonitorTests.collect(monitor, timeout: .seconds(30)) { finished($0) == 1 }
            await monitor.resync()
            inputs += await LatticeMonitorTests.collect(monitor, timeout: .seconds(30)) { finished($0) == 1 }
            await monitor.stop()

            var inventories: [Int: Set<String>] = [:], answered: [Int: Set<String>] = [:]
            for input in inputs {
                switch input {
                case .inventory(let inventory, let id, _): inventories[id, default: []].insert(inventory.hostID)
                case .syncFinished(let id, let hosts, true, _): answered[id] = hosts
                default: break
                }
            }
            let ids = (0..<n).map(SlowLattice.id)
            let answering = Set(ids.enumerated().filter { !SlowLattice.isSilent($0.offset) }.map(\.element))
            // Both syncs complete, every answering host's inventory in each.
            #expect(answered[1] == Set(ids) && answered[2] == Set(ids))
            #expect(inventories[1] == answering && inventories[2] == answering)
            let most = lattice.mostPending
            #expect(most.count == 2)
            // The first: every host at once (well over the resync's bound) when unbounded, else
            // at most its own bound (all at once without it); the resync: at most 8.
            if let firstSyncInFlight {
                #expect((most.first ?? .max) <= firstSyncInFlight && (most.first ?? 0) > 8, "\(most)")
            } else {
                #expect((most.first ?? 0) > 8 * 4, "\(most)")
            }
            #expect((most.last ?? .max) <= 8, "\(most)")
        }
    }
}
