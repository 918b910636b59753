import EmbeddedNATS
import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// Credentials given to the real binary never come back in what it prints when they are refused
/// or cannot be used: passwords (flag or URL), tokens, NKey seeds (flag or file), JWTs and the
/// contents of .creds files. Each case is refused by a real nats-server (or fails before connecting)
/// and its stdout and stderr are searched for the secret.
@Suite(.timeLimit(.minutes(2)))
struct SecretsInErrorsTests {
    private func expectRefusedWithoutShowing(_ secrets: [String], _ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try GetCommandTests.run(["get", "hosts", "--timeout", "1000"] + args)
        #expect(r.status != 0, "not refused: \(r.stdout)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains("error"), "no error message: \(r.stderr)", sourceLocation: sourceLocation)
        for secret in secrets {
            #expect(!r.stdout.contains(secret) && !r.stderr.contains(secret),
                    "the secret \(secret) is printed: \(r.stdout) \(r.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func passwordsAndTokens() throws {
        let server = try TestServers.start(config: "authorization { user: ops, password: \"Right-p4ss\" }")
        defer { server.stop() }
        try expectRefusedWithoutShowing(["Wr0ng-p4ss-SECRET"], ["--nats-url", "nats://ops:Wr0ng-p4ss-SECRET@127.0.0.1:\(server.port)"])
        try expectRefusedWithoutShowing(["Wr0ng-p4ss-SECRET"], ["--nats-url", server.url, "--user", "ops", "--password", "Wr0ng-p4ss-SECRET"])

        let tokenServer = try TestServers.start(config: "authorization { token: \"Right-t0ken\" }")
        defer { tokenServer.stop() }
        try expectRefusedWithoutShowing(["Wr0ng-t0ken-SECRET"], ["--nats-url", tokenServer.url, "--token", "Wr0ng-t0ken-SECRET"])
        // A token in the URL (`nats://token@host`).
        try expectRefusedWithoutShowing(["Wr0ng-t0ken-SECRET"], ["--nats-url", "nats://Wr0ng-t0ken-SECRET@127.0.0.1:\(tokenServer.port)"])
    }

    @Test func seedsJWTsAndCredsFiles() throws {
        let key = NKey.generate(.user)
        let server = try TestServers.start(config: "authorization { users = [ { nkey: \(key.publicKey) } ] }")
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("latticetop-secrets-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // Another user's valid seed: refused by the server.
        let other = NKey.generate(.user)
        try expectRefusedWithoutShowing([other.seed], ["--nats-url", server.url, "--nkey", other.seed])
        // A seed with a typo (checksum), and one in a file.
        var typo = Array(key.seed)
        typo[10] = typo[10] == "A" ? "B" : "A"
        try expectRefusedWithoutShowing([String(typo), String(key.seed.dropFirst(4).prefix(20))], ["--nats-url", server.url, "--nkey", String(typo)])
        let seedFile = directory.appendingPathComponent("bad.nk")
        try (String(typo) + "\n").write(to: seedFile, atomically: true, encoding: .utf8)
        try expectRefusedWithoutShowing([String(typo)], ["--nats-url", server.url, "--nkey", seedFile.path])

        // A JWT with the wrong seed, and a .creds file that is not one.
        let op = TestOperator()
        let (jwt, _) = op.user()
        try expectRefusedWithoutShowing([jwt, other.seed], ["--nats-url", server.url, "--ctl-jwt", jwt, "--nkey", other.seed])
        let garbage = directory.appendingPathComponent("garbage.creds")
        try "-----BEGIN USER NKEY SEED-----\n\(other.seed)-broken\n------END USER NKEY SEED------\n"
            .write(to: garbage, atomically: true, encoding: .utf8)
        try expectRefusedWithoutShowing([other.seed], ["--nats-url", server.url, "--creds", garbage.path])
        let creds = try op.credsFile(jwt: jwt, key: other, in: directory)
        try expectRefusedWithoutShowing([jwt, other.seed], ["--nats-url", server.url, "--creds", creds])
    }
}
