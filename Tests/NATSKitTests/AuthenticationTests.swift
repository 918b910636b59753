import EmbeddedNATS
import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// Every way of authenticating, against real servers that require it.
@Suite(.timeLimit(.minutes(1)))
struct AuthenticationTests {
    @Test func userAndPassword() async throws {
        let server = try NATSServerProcess(.init(config: "authorization { user: ops, password: \"p4ss\" }"))
        defer { server.stop() }
        var good = TestServers.options([server.url])
        good.user = "ops"
        good.password = "p4ss"
        let nc = try await NATSConnection.connect(good)
        #expect(nc.state.isConnected)
        nc.close()

        var bad = good
        bad.password = "nope"
        await #expect(throws: NATSError.self) { try await NATSConnection.connect(bad) }
        do {
            _ = try await NATSConnection.connect(bad)
        } catch {
            guard case .authorizationFailed = error else { Issue.record("expected authorizationFailed, got \(error)"); return }
        }
        // No credentials at all is refused too.
        await #expect(throws: NATSError.self) { try await NATSConnection.connect(TestServers.options([server.url])) }
    }

    @Test func token() async throws {
        let server = try NATSServerProcess(.init(config: "authorization { token: \"s3cr3t-token\" }"))
        defer { server.stop() }
        var opts = TestServers.options([server.url])
        opts.token = "s3cr3t-token"
        let nc = try await NATSConnection.connect(opts)
        #expect(nc.state.isConnected)
        nc.close()
        opts.token = "wrong"
        do {
            _ = try await NATSConnection.connect(opts)
            Issue.record("a wrong token connected")
        } catch {
            guard case .authorizationFailed = error else { Issue.record("expected authorizationFailed, got \(error)"); return }
        }
    }

    @Test func nkeySeedSignsTheServersNonce() async throws {
        let key = NKey.generate(.user)
        let other = NKey.generate(.user)
        #expect(key.publicKey.hasPrefix("U") && key.publicKey.count == 56)
        #expect(key.seed.hasPrefix("SU"))
        let server = try NATSServerProcess(.init(config: "authorization { users: [ { nkey: \(key.publicKey) } ] }"))
        defer { server.stop() }
        var opts = TestServers.options([server.url])
        opts.nkeySeed = key.seed
        let nc = try await NATSConnection.connect(opts)
        #expect(nc.state.isConnected)
        nc.close()

        // The seed may also come from a file.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).nk")
        try (key.seed + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        opts.nkeySeed = file.path
        let fromFile = try await NATSConnection.connect(opts)
        fromFile.close()

        opts.nkeySeed = other.seed
        do {
            _ = try await NATSConnection.connect(opts)
            Issue.record("an unknown nkey connected")
        } catch {
            guard case .authorizationFailed = error else { Issue.record("expected authorizationFailed, got \(error)"); return }
        }
        opts.nkeySeed = "SUNOTASEED"
        await #expect(throws: NATSError.self) { try await NATSConnection.connect(opts) }
    }

    @Test func nkeySeedsRoundTrip() throws {
        for kind in [NKey.Kind.user, .server, .account] {
            let k = NKey.generate(kind)
            let parsed = try NKey(seed: k.seed)
            #expect(parsed == k)
            #expect(parsed.publicKey == k.publicKey)
        }
        #expect(NKey.generate(.server).publicKey.hasPrefix("N"))
        var seed = Array(NKey.generate().seed)
        seed[10] = seed[10] == "A" ? "B" : "A"
        #expect(throws: NATSError.self) { try NKey(seed: String(seed)) }
    }

    @Test func tlsVerifiedWithTheCAAndClientCertificates() async throws {
        let certs = try TestCertificates()
        defer { certs.remove() }
        let config = """
            tls {
              cert_file: "\(certs.serverCert)"
              key_file: "\(certs.serverKey)"
              ca_file: "\(certs.caFile)"
              verify: true
              timeout: 2
            }
            """
        let server = try NATSServerProcess(.init(config: config))
        defer { server.stop() }
        var opts = TestServers.options(["tls://127.0.0.1:\(server.port)"])
        opts.tlsCAFile = certs.caFile
        opts.tlsCertFile = certs.clientCert
        opts.tlsKeyFile = certs.clientKey
        let nc = try await NATSConnection.connect(opts)
        #expect(nc.state.isConnected)
        let sub = try nc.subscribe("tls.check")
        try nc.flush()
        try nc.publish("tls.check", payload: Data("secure".utf8))
        #expect(await sub.nextBatch()?.first?.data == Data("secure".utf8))
        nc.close()

        // The server's certificate is verified: a CA that did not sign it is refused.
        var wrongCA = opts
        wrongCA.tlsCAFile = certs.otherCAFile
        await #expect(throws: NATSError.self) { try await NATSConnection.connect(wrongCA) }

        // The server requires a client certificate.
        var noClientCert = opts
        noClientCert.tlsCertFile = nil
        noClientCert.tlsKeyFile = nil
        await #expect(throws: NATSError.self) { try await NATSConnection.connect(noClientCert) }

        // A missing CA file is a clear error before anything is sent.
        var missing = opts
        missing.tlsCAFile = "/nonexistent/ca.pem"
        do {
            _ = try await NATSConnection.connect(missing)
            Issue.record("connected with a missing CA file")
        } catch {
            guard case .tls(let detail) = error else { Issue.record("expected .tls, got \(error)"); return }
            #expect(detail.contains("/nonexistent/ca.pem"))
        }
    }

    @Test func noServerIsAClearError() async throws {
        let port = try NATSServerProcess.freePort()
        do {
            _ = try await NATSConnection.connect(TestServers.options(["nats://127.0.0.1:\(port)"]))
            Issue.record("connected to nothing")
        } catch {
            guard case .noServer(let urls, _) = error else { Issue.record("expected noServer, got \(error)"); return }
            #expect(urls == ["nats://127.0.0.1:\(port)"])
        }
    }
}
