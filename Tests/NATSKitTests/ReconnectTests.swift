import EmbeddedNATS
import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// Connection states through a server crash and restart on the same port, connecting in the
/// background, closing, and cluster failover.
@Suite(.timeLimit(.minutes(1)))
struct ReconnectTests {
    @Test func serverCrashAndRestartOnTheSamePort() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let log = StateRecorder(nc)
        let sub = try nc.subscribe("after.restart")
        try nc.flush()
        #expect(nc.state == .connected(server: server.url))

        server.kill9()
        try await TestServers.waitUntil("reconnect attempts (states: \(log.states))") {
            log.states.contains(.reconnecting(attempt: 2))
        }
        #expect(!nc.state.isConnected)
        #expect(nc.connectedServer == nil)
        #expect(nc.rtt() == nil)
        #expect(nc.reconnectCount == 0)
        // Published while down: kept in cnats' reconnect buffer and sent once back.
        try nc.publish("after.restart", payload: Data("during"))

        try server.start()
        try await TestServers.waitUntil("connected again (states: \(log.states))", timeout: .seconds(15)) {
            log.states.last?.isConnected == true
        }
        #expect(nc.state == .connected(server: server.url))
        #expect(nc.reconnectCount == 1)

        // The loss in its logical order: disconnected (naming the server), then numbered
        // back-off waits, then connected again.
        let loss = log.afterFirstConnect
        #expect(loss.first == .disconnected(server: server.url), "\(loss)")
        #expect(loss.last == .connected(server: server.url), "\(loss)")
        let waits = loss.dropFirst().dropLast()
        #expect(waits.count >= 2, "\(loss)")
        #expect(Array(waits) == (1...max(1, waits.count)).map { .reconnecting(attempt: $0) }, "\(loss)")

        // The subscription made before the outage still works.
        try nc.publish("after.restart", payload: Data("after"))
        let got = await sub.awaitMessages(2, within: .seconds(10))
        #expect(got.map(\.text) == ["during", "after"])
        #expect(nc.rtt() != nil)
    }

    @Test func aSecondOutageCountsASecondReconnect() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let responder = try Responder.echo(nc, subject: "twice")
        defer { responder.stop() }
        for outage in 1...2 {
            server.kill9()
            try await TestServers.waitUntil("outage \(outage) noticed") { !nc.state.isConnected }
            try server.start()
            try await TestServers.waitUntil("back after outage \(outage)", timeout: .seconds(15)) { nc.state.isConnected }
            #expect(nc.reconnectCount == outage)
            #expect(try await nc.request("twice", payload: Data("\(outage)"), timeout: .seconds(5)).text == "\(outage)")
        }
    }

    @Test func connectingInTheBackgroundUntilTheServerStarts() async throws {
        let port = try NATSServerProcess.freePort()
        let url = "nats://127.0.0.1:\(port)"
        var opts = TestServers.options([url])
        opts.retryOnFailedConnect = true
        let nc = try await NATSConnection.connect(opts)
        defer { nc.close() }
        let log = StateRecorder(nc)
        #expect(!nc.state.isConnected)
        try await TestServers.waitUntil("a retry is under way (states: \(log.states))") {
            log.states.contains { if case .reconnecting = $0 { true } else { false } }
        }

        let server = try NATSServerProcess(.init(port: port))
        defer { server.stop() }
        try await TestServers.waitUntil("connected (states: \(log.states))", timeout: .seconds(15)) {
            log.states.last?.isConnected == true
        }
        #expect(nc.state == .connected(server: url))
        // The first connection is not a reconnect, and nothing was lost.
        #expect(nc.reconnectCount == 0)
        #expect(!log.states.contains { if case .disconnected = $0 { true } else { false } })
        #expect(log.states.dropLast().allSatisfy { if case .reconnecting = $0 { true } else { $0 == .connecting } }, "\(log.states)")
        let echo = try Responder.echo(nc, subject: "late")
        defer { echo.stop() }
        #expect(try await nc.request("late", payload: Data("hi"), timeout: .seconds(5)).text == "hi")
    }

    @Test func closingEndsTheStatesAndTheSubscriptions() async throws {
        let server = try TestServers.start()
        defer { server.stop() }
        let nc = try await TestServers.connect(server)
        let log = StateRecorder(nc)
        let sub = try nc.subscribe("closing")
        try nc.flush()
        let waiting = Task { await sub.nextBatch() }

        nc.close()
        try await TestServers.waitUntil("the state stream finished") { log.finished }
        #expect(log.states.last == .closed)
        #expect(log.states.first == .connected(server: server.url))
        #expect(nc.state == .closed)
        #expect(await waiting.value == nil)
        try await TestServers.waitUntil("the subscription ended") { !sub.isActive }

        // A stream asked for afterwards tells .closed and ends.
        var late: [NATSConnectionState] = []
        for await s in nc.states() { late.append(s) }
        #expect(late == [.closed])
    }

    @Test func clusterFailoverToAnotherNode() async throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        try await cluster.waitForRoutes()
        #expect(cluster.routeCounts() == [2, 2, 2])

        var opts = TestServers.options(cluster.urls)
        opts.ignoreDiscoveredServers = true
        let nc = try await NATSConnection.connect(opts)
        defer { nc.close() }
        let log = StateRecorder(nc)
        let victim = try #require(cluster.node(for: nc.connectedServer))
        let victimURL = victim.url
        let events = try nc.subscribe("cluster.events")

        // The responder lives on the nodes that survive.
        let survivors = cluster.nodes.filter { $0 !== victim }
        let other = try await NATSConnection.connect(TestServers.options(survivors.map(\.url), name: "responder"))
        defer { other.close() }
        let responder = try Responder.echo(other, subject: "cluster.echo", prefix: "echo:")
        defer { responder.stop() }
        // Interest crosses the routes shortly after the subscription.
        try await TestServers.waitUntil("a request across the cluster is answered") {
            (try? await nc.request("cluster.echo", payload: Data("0"), timeout: .milliseconds(500))) != nil
        }

        victim.kill9()
        try await TestServers.waitUntil("connected to another node (states: \(log.states))", timeout: .seconds(20)) {
            if case .connected(let url)? = log.states.last { return url != victimURL }
            return false
        }
        let now = try #require(nc.connectedServer)
        #expect(survivors.map(\.url).contains(now))
        #expect(nc.reconnectCount == 1)
        #expect(log.afterFirstConnect.first == .disconnected(server: victimURL), "\(log.states)")
        #expect(log.afterFirstConnect.last == .connected(server: now), "\(log.states)")

        // Request/reply works through the new node.
        try await TestServers.waitUntil("a request is answered after the failover", timeout: .seconds(10)) {
            (try? await nc.request("cluster.echo", payload: Data("1"), timeout: .milliseconds(500)))?.text == "echo:1"
        }
        #expect(try await nc.request("cluster.echo", payload: Data("2"), timeout: .seconds(5)).text == "echo:2")

        // The subscription made on the dead node was moved along.
        try await TestServers.waitUntil("an event published elsewhere arrives") {
            try? other.publish("cluster.events", payload: Data("e"))
            return await events.awaitBatch(within: .milliseconds(200)) != nil
        }
    }
}
