import EmbeddedNATS
import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// Connection states, reconnecting after the server comes back, and cluster failover.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ReconnectTests {
    final class StateLog: @unchecked Sendable {
        private let lock = NSLock()
        private var states: [NATSConnectionState] = []
        private var task: Task<Void, Never>?

        init(_ nc: NATSConnection) {
            let stream = nc.states()
            task = Task { [weak self] in for await s in stream { self?.append(s) } }
        }

        func append(_ s: NATSConnectionState) { lock.withLock { states.append(s) } }
        var all: [NATSConnectionState] { lock.withLock { states } }
        func contains(_ p: (NATSConnectionState) -> Bool) -> Bool { all.contains(where: p) }
        func stop() { task?.cancel() }
    }

    @Test func serverRestartOnTheSamePortReconnectsAndKeepsSubscriptions() async throws {
        let server = try NATSServerProcess()
        defer { server.stop() }
        let nc = try await NATSConnection.connect(TestServers.options([server.url]))
        defer { nc.close() }
        let log = StateLog(nc)
        defer { log.stop() }
        let sub = try nc.subscribe("after.restart")
        try nc.flush()

        server.kill9()
        #expect(await TestServers.eventually { log.contains { if case .disconnected = $0 { return true } else { return false } } })
        #expect(await TestServers.eventually { log.contains { if case .reconnecting = $0 { return true } else { return false } } })
        #expect(!nc.state.isConnected)

        try server.start()
        #expect(await TestServers.eventually(timeout: .seconds(15)) { nc.state.isConnected })
        #expect(nc.reconnectCount >= 1)
        if case .connected(let url) = nc.state { #expect(url.contains(String(server.port))) }

        // The subscription made before the outage still works.
        try nc.publish("after.restart", payload: Data("back".utf8))
        try nc.flush()
        #expect(await firstBatch(sub, within: .seconds(5))?.first?.data == Data("back".utf8))
    }

    @Test func retryOnFailedConnectWaitsForTheServer() async throws {
        let port = try NATSServerProcess.freePort()
        var opts = TestServers.options(["nats://127.0.0.1:\(port)"])
        opts.retryOnFailedConnect = true
        let nc = try await NATSConnection.connect(opts)
        defer { nc.close() }
        #expect(!nc.state.isConnected)
        let server = try NATSServerProcess(.init(port: port))
        defer { server.stop() }
        #expect(await TestServers.eventually(timeout: .seconds(15)) { nc.state.isConnected })
    }

    @Test func clusterFailoverToAnotherNode() async throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        #expect(try await cluster.waitForRoutes())
        var opts = TestServers.options(cluster.urls)
        opts.ignoreDiscoveredServers = true
        let nc = try await NATSConnection.connect(opts)
        defer { nc.close() }
        let responderConn = try await NATSConnection.connect(TestServers.options(cluster.urls, name: "responder"))
        defer { responderConn.close() }

        guard case .connected(let first) = nc.state else { Issue.record("not connected"); return }
        let victim = try #require(cluster.nodes.first { first.contains(":\($0.port)") })
        // The responder must live on a node that survives.
        let survivorURLs = cluster.nodes.filter { $0 !== victim }.map(\.url)
        let responder = try await NATSConnection.connect(TestServers.options(survivorURLs, name: "survivor"))
        defer { responder.close() }
        let sub = try responder.subscribe("cluster.echo")
        try responder.flush()
        let task = Task { for await batch in sub { for m in batch { if let r = m.reply { try? responder.publish(r, payload: m.data) } } } }
        defer { task.cancel() }
        #expect(await TestServers.eventually {
            (try? await nc.request("cluster.echo", payload: Data("1".utf8), timeout: .milliseconds(500))) != nil
        })

        victim.kill9()
        #expect(await TestServers.eventually(timeout: .seconds(15)) {
            if case .connected(let url) = nc.state { return !url.contains(":\(victim.port)") }
            return false
        })
        #expect(nc.reconnectCount >= 1)
        #expect(await TestServers.eventually(timeout: .seconds(10)) {
            (try? await nc.request("cluster.echo", payload: Data("2".utf8), timeout: .milliseconds(500)))?.data == Data("2".utf8)
        })
    }
}
