import Foundation
import NATSKit

/// A throw-away NATS operator with one account, for servers in operator (JWT) mode: the signed
/// operator and account JWTs, the server configuration that trusts them (memory resolver), and
/// user JWTs / `.creds` files signed by the account. JWTs are built by hand and signed with
/// `NKey.sign`, as the `nsc` tool would.
public struct TestOperator: Sendable {
    public let operatorKey: NKey
    public let accountKey: NKey
    public let operatorJWT: String
    public let accountJWT: String

    public init(name: String = "latticetop-test") {
        operatorKey = NKey.generate(.operator)
        accountKey = NKey.generate(.account)
        operatorJWT = Self.jwt(issuer: operatorKey, subject: operatorKey.publicKey, name: name,
                               nats: ["type": "operator", "version": 2])
        accountJWT = Self.jwt(issuer: operatorKey, subject: accountKey.publicKey, name: "\(name)-account", nats: [
            "type": "account", "version": 2,
            "limits": ["subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1,
                       "wildcards": true, "conn": -1, "leaf": -1] as [String: Any],
        ])
    }

    /// nats-server configuration for operator mode, trusting this operator and preloading its account.
    public var serverConfig: String {
        """
        operator: \(operatorJWT)
        resolver: MEMORY
        resolver_preload: {
          \(accountKey.publicKey): \(accountJWT)
        }
        """
    }

    /// A user of the account (or of `signer`, to make a user the server must refuse): its JWT and key.
    public func user(name: String = "test-user", signedBy signer: NKey? = nil) -> (jwt: String, key: NKey) {
        let key = NKey.generate(.user)
        let issuer = signer ?? accountKey
        let jwt = Self.jwt(issuer: issuer, subject: key.publicKey, name: name, nats: [
            "type": "user", "version": 2,
            "pub": [String: Any](), "sub": [String: Any](), "subs": -1, "data": -1, "payload": -1,
        ])
        return (jwt, key)
    }

    /// A `.creds` file (JWT and seed, as `nsc` writes it) in `directory`.
    public func credsFile(jwt: String, key: NKey, in directory: URL) throws -> String {
        let text = """
            -----BEGIN NATS USER JWT-----
            \(jwt)
            ------END NATS USER JWT------

            ************************* IMPORTANT *************************
            NKEY Seed printed below can be used to sign and prove identity.
            NKEYs are sensitive and should be treated as secrets.

            -----BEGIN USER NKEY SEED-----
            \(key.seed)
            ------END USER NKEY SEED------

            *************************************************************

            """
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("user-\(UUID().uuidString.prefix(8)).creds")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// header.claims.signature, each base64url without padding; signed by `issuer` with ed25519.
    static func jwt(issuer: NKey, subject: String, name: String, nats: [String: Any]) -> String {
        let header = #"{"typ":"JWT","alg":"ed25519-nkey"}"#
        let claims: [String: Any] = [
            "jti": UUID().uuidString.replacingOccurrences(of: "-", with: ""),
            "iat": Int(Date().timeIntervalSince1970) - 60,
            "iss": issuer.publicKey,
            "sub": subject,
            "name": name,
            "nats": nats,
        ]
        let body = (try? JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])) ?? Data()
        let signingInput = base64url(Data(header.utf8)) + "." + base64url(body)
        return signingInput + "." + base64url(issuer.sign(Data(signingInput.utf8)))
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
