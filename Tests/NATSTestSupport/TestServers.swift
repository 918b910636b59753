import EmbeddedNATS
import Foundation
import NATSKit

/// Helpers that start real nats-server processes for tests: plain, with TLS from a throw-away CA,
/// and 3-node clusters.
public enum TestServers {
    /// Polls `condition` until it holds or `timeout` passes.
    public static func eventually(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return await condition()
    }

    /// Options for a test client: fast reconnects, one exact server list.
    public static func options(_ urls: [String], name: String = "test") -> NATSConnectionOptions {
        var o = NATSConnectionOptions(servers: urls, name: name)
        o.reconnectWait = .milliseconds(50)
        o.maxReconnectWait = .milliseconds(300)
        o.connectTimeout = .seconds(2)
        return o
    }
}

/// A throw-away certificate authority with a server certificate (SAN 127.0.0.1 and localhost)
/// and a client certificate, made by `openssl` in a temporary directory.
public struct TestCertificates: Sendable {
    public let directory: URL
    public var caFile: String { directory.appendingPathComponent("ca.pem").path }
    public var serverCert: String { directory.appendingPathComponent("server.pem").path }
    public var serverKey: String { directory.appendingPathComponent("server-key.pem").path }
    public var clientCert: String { directory.appendingPathComponent("client.pem").path }
    public var clientKey: String { directory.appendingPathComponent("client-key.pem").path }
    /// A second, unrelated CA (to show that a wrong CA is refused).
    public var otherCAFile: String { directory.appendingPathComponent("other-ca.pem").path }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("latticetop-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ext = directory.appendingPathComponent("san.ext")
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n".write(to: ext, atomically: true, encoding: .utf8)
        let clientExt = directory.appendingPathComponent("client.ext")
        try "extendedKeyUsage=clientAuth\n".write(to: clientExt, atomically: true, encoding: .utf8)
        let d = directory.path
        try Self.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(d)/ca-key.pem", "-out", "\(d)/ca.pem",
                          "-days", "2", "-subj", "/CN=latticetop test CA"])
        try Self.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(d)/other-ca-key.pem", "-out", "\(d)/other-ca.pem",
                          "-days", "2", "-subj", "/CN=some other CA"])
        for (name, extFile) in [("server", ext.path), ("client", clientExt.path)] {
            try Self.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(d)/\(name)-key.pem", "-out", "\(d)/\(name).csr",
                              "-subj", "/CN=\(name == "server" ? "localhost" : "latticetop client")"])
            try Self.openssl(["x509", "-req", "-in", "\(d)/\(name).csr", "-CA", "\(d)/ca.pem", "-CAkey", "\(d)/ca-key.pem",
                              "-CAcreateserial", "-out", "\(d)/\(name).pem", "-days", "2", "-extfile", extFile])
        }
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    static func openssl(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "openssl \(args.first ?? "") failed: \(text)") }
    }
}

/// Three nats-server processes routed into one cluster on loopback.
public final class TestCluster: @unchecked Sendable {
    public let nodes: [NATSServerProcess]
    public var urls: [String] { nodes.map(\.url) }

    public init() throws {
        let clusterPorts = try (0..<3).map { _ in try NATSServerProcess.freePort() }
        let routes = clusterPorts.map { "nats-route://127.0.0.1:\($0)" }.joined(separator: ", ")
        var nodes: [NATSServerProcess] = []
        for (i, port) in clusterPorts.enumerated() {
            let config = """
                server_name: node\(i)
                cluster {
                  name: latticetop-test
                  listen: 127.0.0.1:\(port)
                  routes: [\(routes)]
                }
                """
            nodes.append(try NATSServerProcess(.init(config: config)))
        }
        self.nodes = nodes
    }

    /// Waits until a message published on the first node reaches a subscriber on the last one.
    public func waitForRoutes(timeout: Duration = .seconds(15)) async throws -> Bool {
        let a = try await NATSConnection.connect(TestServers.options([nodes[0].url]))
        let c = try await NATSConnection.connect(TestServers.options([nodes[2].url]))
        defer { a.close(); c.close() }
        let sub = try c.subscribe("route.check")
        try c.flush()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try a.publish("route.check", payload: Data("x".utf8))
            try a.flush()
            try? await Task.sleep(for: .milliseconds(100))
            if sub.delivered > 0 || sub.isActive == false { break }
            // delivered counts what the consumer took; take what is buffered.
            let got = await withTaskGroup(of: Bool.self) { group -> Bool in
                group.addTask { await sub.nextBatch() != nil }
                group.addTask { try? await Task.sleep(for: .milliseconds(100)); return false }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if got { return true }
        }
        return false
    }

    public func stop() {
        nodes.forEach { $0.stop() }
    }
}
