import Foundation
import NATSKit

/// Connection inputs as given on the command line; nil means "not given".
public struct ConnectionInputs: Sendable, Equatable {
    public var natsURLs: [String] = []
    public var ctlHost: String?
    public var ctlPort: Int?
    public var lattice: String?
    public var ctlTopicPrefix: String?
    public var credsFile: String?
    public var nkeySeed: String?
    public var jwt: String?
    public var user: String?
    public var password: String?
    public var token: String?
    public var tlsCA: String?
    public var tlsCert: String?
    public var tlsKey: String?
    public var timeoutMilliseconds: Int?
    public var context: String?

    public init() {}
}

/// Everything needed to talk to one lattice: where NATS is and how to authenticate, which
/// lattice, the control subject prefix and the request timeout. Resolved from command-line
/// flags, then wash's environment variables, then a wash context, then wash's defaults.
public struct ConnectionSettings: Sendable, Equatable {
    public var nats: NATSConnectionOptions
    public var lattice: String
    public var ctlTopicPrefix: String
    public var timeout: Duration
    public var jsDomain: String?
    /// The wash context used, if any.
    public var contextName: String?
    /// Problems that did not stop the resolution, e.g. an invalid default wash context (its file
    /// and line) that was set aside for the defaults. For the user to see.
    public var warnings: [String] = []

    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 4222
    public static let defaultTimeoutMilliseconds = 2000

    public init(nats: NATSConnectionOptions, lattice: String = "default", ctlTopicPrefix: String = "wasmbus.ctl",
                timeout: Duration = .seconds(2), jsDomain: String? = nil, contextName: String? = nil) {
        self.nats = nats
        self.lattice = lattice
        self.ctlTopicPrefix = ctlTopicPrefix
        self.timeout = timeout
        self.jsDomain = jsDomain
        self.contextName = contextName
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case invalid(String)
        case context(WashContextStore.Failure)

        public var description: String {
            switch self {
            case .invalid(let text): return text
            case .context(let failure): return failure.description
            }
        }
    }

    public static func resolve(
        _ inputs: ConnectionInputs,
        environment: [String: String],
        contexts: WashContextStore
    ) throws(Failure) -> ConnectionSettings {
        func env(_ keys: String...) -> String? {
            for k in keys { if let v = environment[k], !v.isEmpty { return v } }
            return nil
        }
        let context: WashContext?
        var warnings: [String] = []
        do {
            context = try contexts.load(inputs.context)
        } catch {
            // A context asked for by name must be usable; a broken default one is reported and
            // set aside, and wash's defaults apply.
            guard inputs.context == nil, case .invalid = error else { throw .context(error) }
            warnings.append(error.description + " (using the defaults)")
            context = nil
        }

        let host = inputs.ctlHost ?? env("WASMCLOUD_CTL_HOST") ?? context?.ctlHost ?? defaultHost
        let portText = inputs.ctlPort.map(String.init) ?? env("WASMCLOUD_CTL_PORT") ?? context?.ctlPort.map(String.init)
        let port: Int
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else { throw .invalid("invalid NATS port '\(portText)'") }
            port = p
        } else {
            port = defaultPort
        }

        var urls = inputs.natsURLs.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
        if urls.isEmpty, let natsURL = env("LATTICETOP_NATS_URL") {
            urls = natsURL.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        if urls.isEmpty { urls = [url(host: host, port: port)] }
        for u in urls where u.contains(" ") { throw .invalid("invalid NATS URL '\(u)'") }

        let lattice = inputs.lattice ?? env("WASMCLOUD_LATTICE") ?? context?.lattice ?? "default"
        if let problem = invalidToken(lattice) { throw .invalid("invalid lattice name '\(lattice)': \(problem)") }

        let timeoutText = inputs.timeoutMilliseconds.map(String.init) ?? env("WASMCLOUD_CTL_TIMEOUT_MS")
            ?? context?.ctlTimeout.map(String.init)
        var timeout = Duration.milliseconds(defaultTimeoutMilliseconds)
        if let timeoutText {
            guard let ms = Int(timeoutText), ms > 0 else { throw .invalid("invalid timeout '\(timeoutText)' (milliseconds)") }
            timeout = .milliseconds(ms)
        }

        var nats = NATSConnectionOptions(servers: urls)
        nats.user = inputs.user
        nats.password = inputs.password
        nats.token = inputs.token
        if nats.password != nil && nats.user == nil { throw .invalid("--password needs --user") }

        // Credentials: explicit flags first; then wash's order, JWT(+seed) before a creds file.
        nats.credentialsFile = inputs.credsFile
        nats.nkeySeed = inputs.nkeySeed
        nats.jwt = inputs.jwt
        if nats.credentialsFile == nil && nats.nkeySeed == nil && nats.jwt == nil && nats.token == nil && nats.user == nil {
            let jwt = env("WASMCLOUD_CTL_JWT") ?? context?.ctlJWT
            let seed = env("WASMCLOUD_CTL_SEED") ?? context?.ctlSeed
            if let jwt, let seed {
                nats.jwt = jwt
                nats.nkeySeed = seed
            } else if let seed, jwt == nil {
                nats.nkeySeed = seed
            } else {
                nats.credentialsFile = env("WASMCLOUD_CTL_CREDS", "WASH_CTL_CREDS") ?? context?.ctlCredsFile
            }
        }
        if nats.jwt != nil && nats.nkeySeed == nil { throw .invalid("a JWT needs a seed (--nkey or WASMCLOUD_CTL_SEED)") }

        nats.tlsCAFile = inputs.tlsCA ?? env("WASMCLOUD_CTL_TLS_CA_FILE", "WASH_CTL_TLS_CA_FILE") ?? context?.ctlTLSCAFile
        nats.tlsCertFile = inputs.tlsCert ?? env("WASMCLOUD_CTL_TLS_CERT_FILE")
        nats.tlsKeyFile = inputs.tlsKey ?? env("WASMCLOUD_CTL_TLS_KEY_FILE")
        if (nats.tlsCertFile == nil) != (nats.tlsKeyFile == nil) { throw .invalid("--tls-cert and --tls-key go together") }
        nats.connectTimeout = min(timeout, .seconds(5))

        let prefix = inputs.ctlTopicPrefix ?? env("WASMCLOUD_CTL_TOPIC_PREFIX") ?? context?.ctlTopicPrefix ?? "wasmbus.ctl"
        var settings = ConnectionSettings(
            nats: nats, lattice: lattice, ctlTopicPrefix: prefix, timeout: timeout,
            jsDomain: env("WASMCLOUD_JS_DOMAIN") ?? context?.jsDomain,
            contextName: context == nil ? nil : (inputs.context ?? context?.name ?? contexts.defaultContextName())
        )
        settings.warnings = warnings
        return settings
    }

    /// `host:port` as a NATS URL; a host may carry a scheme and `user:pass@`.
    static func url(host: String, port: Int) -> String {
        var h = host
        var scheme = "nats"
        if let range = h.range(of: "://") {
            scheme = String(h[..<range.lowerBound])
            h = String(h[range.upperBound...])
        }
        let hostPart = h.split(separator: "@").last.map(String.init) ?? h
        let hasPort = hostPart.hasPrefix("[") ? hostPart.contains("]:") : hostPart.contains(":")
        return "\(scheme)://\(h)" + (hasPort ? "" : ":\(port)")
    }

    /// Why `token` cannot be a subject token, or nil when it can.
    static func invalidToken(_ token: String) -> String? {
        if token.isEmpty { return "empty" }
        if token.contains(where: { $0 == "." || $0 == "*" || $0 == ">" || $0.isWhitespace }) {
            return "must not contain '.', '*', '>' or spaces"
        }
        return nil
    }
}
