import EmbeddedNATS
import Foundation
import LatticeClient
import LatticeProtocol
import LatticeSim
import NATSKit
import Testing

/// A real nats-server on a free port, a simulated lattice on it, a client, and a recorder of
/// every lattice event — torn down by `shutdown()`.
final class LatticeFixture: @unchecked Sendable {
    let server: NATSServerProcess
    let simConnection: NATSConnection
    let connection: NATSConnection
    let simulator: LatticeSimulator
    let client: LatticeClient
    let events: EventRecorder

    init(_ configuration: SimulatorConfiguration = .fast(), startSimulator: Bool = true) async throws {
        server = try NATSServerProcess(.init(jetStream: true))
        simConnection = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url], name: "sim"))
        connection = try await NATSConnection.connect(NATSConnectionOptions(servers: [server.url], name: "test"))
        events = try EventRecorder(connection: connection, lattice: configuration.lattice)
        simulator = LatticeSimulator(connection: simConnection, configuration: configuration)
        if startSimulator { try await simulator.start() }
        client = LatticeClient(connection: connection, lattice: configuration.lattice, timeout: .seconds(3),
                               gatherWindow: .milliseconds(1500))
    }

    func shutdown() async {
        await simulator.stop()
        events.stop()
        connection.close()
        simConnection.close()
        server.stop()
    }
}

/// Collects decoded lattice events from `wasmbus.evt.{lattice}.>`.
final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [LatticeEvent] = []
    private let subscription: NATSSubscription
    private var task: Task<Void, Never>?

    init(connection: NATSConnection, lattice: String) throws {
        subscription = try connection.subscribe(EventSubjects(lattice: lattice).wildcard)
        try connection.flush()
        task = Task { [subscription, weak self] in
            for await batch in subscription {
                let decoded = batch.compactMap { try? WireJSON.decode(LatticeEvent.self, from: $0.data) }
                self?.lock.withLock { self?.received.append(contentsOf: decoded) }
            }
        }
    }

    var all: [LatticeEvent] { lock.withLock { received } }

    func stop() {
        subscription.unsubscribe()
        task?.cancel()
    }

    /// Waits until an event matching `predicate` has arrived; returns it, or nil after `timeout`.
    func wait(timeout: Duration = .seconds(10), _ predicate: (LatticeEvent) -> Bool) async -> LatticeEvent? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let e = all.first(where: predicate) { return e }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return all.first(where: predicate)
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return await condition()
}

/// A screen for a failure report: the flash line and the hint bar first (a long report can be cut
/// short), then the whole screen.
func screenReport(_ screen: String) -> String {
    let bottom = screen.split(separator: "\n", omittingEmptySubsequences: false).suffix(2).joined(separator: "\n")
    return "its bottom lines:\n\(bottom)\nthe whole screen:\n\(screen)"
}
