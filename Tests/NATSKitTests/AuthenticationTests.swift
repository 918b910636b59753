import EmbeddedNATS
import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// Every way of authenticating, against real servers that require it.
@Suite(.timeLimit(.minutes(1)))
struct AuthenticationTests {
    @Test func userAndPassword() async throws {
        let server = try TestServers.start(config: "authorization { user: ops, password: \"p4ss\" }")
        defer { server.stop() }
        var good = TestServers.options([server.url])
        good.user = "ops"
        good.password = "p4ss"
        let nc = try await NATSConnection.connect(good)
        #expect(nc.state == .connected(server: server.url))
        nc.close()

        var bad = good
        bad.password = "nope"
        #expect(kind(await connectError(bad)) == .authorizationFailed)
        bad.user = "someone"
        #expect(kind(await connectError(bad)) == .authorizationFailed)
        // No credentials at all are refused too.
        #expect(kind(await connectError(TestServers.options([server.url]))) == .authorizationFailed)
    }

    @Test func credentialsInTheURLAreNeverShown() async throws {
        let server = try TestServers.start(config: "authorization { user: ops, password: \"p4ss\" }")
        defer { server.stop() }
        let nc = try await NATSConnection.connect(TestServers.options(["nats://ops:p4ss@127.0.0.1:\(server.port)"]))
        defer { nc.close() }
        #expect(nc.connectedServer == server.url)
        #expect(nc.state == .connected(server: server.url))
        #expect(kind(await connectError(TestServers.options(["nats://ops:wrong@127.0.0.1:\(server.port)"]))) == .authorizationFailed)
    }

    @Test func token() async throws {
        let server = try TestServers.start(config: "authorization { token: \"s3cr3t-token\" }")
        defer { server.stop() }
        var opts = TestServers.options([server.url])
        opts.token = "s3cr3t-token"
        let nc = try await NATSConnection.connect(opts)
        #expect(nc.state.isConnected)
        // The connection is usable, not merely accepted.
        let sub = try nc.subscribe("token.check")
        try nc.flush()
        try nc.publish("token.check", payload: Data("ok"))
        #expect(await sub.awaitBatch(within: .seconds(5))?.map(\.text) == ["ok"])
        nc.close()

        opts.token = "wrong"
        #expect(kind(await connectError(opts)) == .authorizationFailed)
        opts.token = nil
        #expect(kind(await connectError(opts)) == .authorizationFailed)
    }

    /// The server only lets in a client that signs its nonce with the private key of the
    /// configured public NKey: this checks our ed25519 signing and NKey encoding end to end.
    @Test func nkeySignsTheServersNonce() async throws {
        let key = NKey.generate(.user)
        let other = NKey.generate(.user)
        let server = try TestServers.start(config: "authorization { users = [ { nkey: \(key.publicKey) } ] }")
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
        #expect(await connectError(opts) == nil)

        opts.nkeySeed = other.seed
        #expect(kind(await connectError(opts)) == .authorizationFailed)
        opts.nkeySeed = "SUNOTASEED"
        #expect(kind(await connectError(opts)) == .invalidArgument)
        opts.nkeySeed = "/nonexistent/seed.nk"
        #expect(kind(await connectError(opts)) == .invalidArgument)
    }

    @Test func tlsWithTheTestCA() async throws {
        let certs = try TestCertificates()
        defer { certs.remove() }
        let server = try TestServers.start(config: certs.serverTLSBlock(verify: false))
        defer { server.stop() }
        var opts = TestServers.options(["tls://127.0.0.1:\(server.port)"])
        opts.tlsCAFile = certs.caFile
        let nc = try await NATSConnection.connect(opts)
        #expect(nc.state.isConnected)
        let sub = try nc.subscribe("tls.check")
        try nc.flush()
        try nc.publish("tls.check", payload: Data("secure"))
        #expect(await sub.awaitBatch(within: .seconds(5))?.map(\.text) == ["secure"])
        nc.close()

        // A nats:// URL with a CA file is upgraded to TLS too.
        var plainURL = opts
        plainURL.servers = [server.url]
        #expect(await connectError(plainURL) == nil)

        // By DNS name the certificate's name is checked as well (SAN DNS:localhost).
        var byName = opts
        byName.servers = ["tls://localhost:\(server.port)"]
        #expect(await connectError(byName) == nil)

        // Without the CA the server's certificate cannot be verified (system trust store only).
        var noCA = opts
        noCA.tlsCAFile = nil
        noCA.tlsRequired = true
        #expect(kind(await connectError(noCA)) == .tls)

        // A CA that did not sign the server's certificate is refused.
        var wrongCA = opts
        wrongCA.tlsCAFile = certs.otherCAFile
        #expect(kind(await connectError(wrongCA)) == .tls)

        // A client that does not ask for TLS is told that the server requires it.
        #expect(kind(await connectError(TestServers.options([server.url]))) == .tls)

        // A missing CA file is a clear error before anything is sent.
        var missing = opts
        missing.tlsCAFile = "/nonexistent/ca.pem"
        let error = await connectError(missing)
        #expect(kind(error) == .tls)
        if case .tls(let detail)? = error { #expect(detail.contains("/nonexistent/ca.pem")) }
    }

    @Test func tlsClientCertificateRequiredByTheServer() async throws {
        let certs = try TestCertificates()
        defer { certs.remove() }
        let server = try TestServers.start(config: certs.serverTLSBlock(verify: true))
        defer { server.stop() }
        var opts = TestServers.options(["tls://127.0.0.1:\(server.port)"])
        opts.tlsCAFile = certs.caFile
        opts.tlsCertFile = certs.clientCert
        opts.tlsKeyFile = certs.clientKey
        let nc = try await NATSConnection.connect(opts)
        #expect(nc.state.isConnected)
        let reply = try Responder.echo(nc, subject: "mtls.echo", prefix: "m:")
        defer { reply.stop() }
        #expect(try await nc.request("mtls.echo", payload: Data("hi"), timeout: .seconds(5)).text == "m:hi")
        nc.close()

        // Without a client certificate the server ends the connection: a TLS error, not a protocol one.
        var noClientCert = opts
        noClientCert.tlsCertFile = nil
        noClientCert.tlsKeyFile = nil
        let noCertError = await connectError(noClientCert)
        #expect(kind(noCertError) == .tls, "\(String(describing: noCertError))")

        // A certificate without its key is a usage error.
        var certOnly = opts
        certOnly.tlsKeyFile = nil
        #expect(kind(await connectError(certOnly)) == .invalidArgument)
    }

    @Test func noServerIsAClearError() async throws {
        let ports = try NATSServerProcess.freePorts(2)
        let urls = ports.map { "nats://127.0.0.1:\($0)" }
        let error = await connectError(TestServers.options(urls))
        #expect(kind(error) == .noServer)
        if case .noServer(let reported, _)? = error { #expect(reported == urls) }
        #expect(kind(await connectError(TestServers.options([]))) == .invalidArgument)
    }
}

/// Operator mode: the server trusts an operator JWT and a preloaded account; users log in with a
/// user JWT signed by the account plus a signature of the nonce by the user's NKey.
@Suite(.timeLimit(.minutes(1)))
struct JWTAuthenticationTests {
    @Test func userJWTAndSeed() async throws {
        let op = TestOperator()
        let server = try TestServers.start(config: op.serverConfig)
        defer { server.stop() }
        let (jwt, key) = op.user()
        var opts = TestServers.options([server.url])
        opts.jwt = jwt
        opts.nkeySeed = key.seed
        let nc = try await NATSConnection.connect(opts)
        defer { nc.close() }
        #expect(nc.state == .connected(server: server.url))
        let echo = try Responder.echo(nc, subject: "jwt.echo", prefix: "j:")
        defer { echo.stop() }
        #expect(try await nc.request("jwt.echo", payload: Data("1"), timeout: .seconds(5)).text == "j:1")

        // The JWT of one user with the seed of another: the nonce signature does not match.
        var mismatched = opts
        mismatched.nkeySeed = NKey.generate(.user).seed
        #expect(kind(await connectError(mismatched)) == .authorizationFailed)

        // A user signed by an account the server does not know.
        let stranger = op.user(signedBy: NKey.generate(.account))
        var unknown = opts
        unknown.jwt = stranger.jwt
        unknown.nkeySeed = stranger.key.seed
        #expect(kind(await connectError(unknown)) == .authorizationFailed)

        // A JWT without a seed cannot sign.
        var noSeed = opts
        noSeed.nkeySeed = nil
        #expect(kind(await connectError(noSeed)) == .invalidArgument)
        // Nor is a plain NKey user enough in operator mode.
        var nkeyOnly = opts
        nkeyOnly.jwt = nil
        #expect(kind(await connectError(nkeyOnly)) == .authorizationFailed)
    }

    @Test func credsFile() async throws {
        let op = TestOperator()
        let server = try TestServers.start(config: op.serverConfig)
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("latticetop-creds-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (jwt, key) = op.user()
        var opts = TestServers.options([server.url])
        opts.credentialsFile = try op.credsFile(jwt: jwt, key: key, in: directory)
        let nc = try await NATSConnection.connect(opts)
        defer { nc.close() }
        #expect(nc.state.isConnected)
        let sub = try nc.subscribe("creds.check")
        try nc.flush()
        try nc.publish("creds.check", payload: Data("ok"))
        #expect(await sub.awaitBatch(within: .seconds(5))?.map(\.text) == ["ok"])

        let stranger = op.user(signedBy: NKey.generate(.account))
        opts.credentialsFile = try op.credsFile(jwt: stranger.jwt, key: stranger.key, in: directory)
        #expect(kind(await connectError(opts)) == .authorizationFailed)
        opts.credentialsFile = directory.appendingPathComponent("missing.creds").path
        #expect(kind(await connectError(opts)) == .invalidArgument)
    }
}
