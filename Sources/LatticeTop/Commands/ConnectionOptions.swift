import ArgumentParser
import Foundation

/// The connection flags every command shares. Unset flags fall back to wash's environment
/// variables, then the wash context, then wash's defaults (see `ConnectionSettings.resolve`).
public struct ConnectionOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("nats-url"), help: ArgumentHelp("NATS server URL(s); repeat or separate with commas (cluster seeds).", valueName: "url"))
    var natsURLs: [String] = []

    @Option(name: [.customShort("r"), .customLong("ctl-host")], help: "NATS host for the control interface (WASMCLOUD_CTL_HOST, default 127.0.0.1).")
    var ctlHost: String?

    @Option(name: [.customShort("p"), .customLong("ctl-port")], help: "NATS port (WASMCLOUD_CTL_PORT, default 4222).")
    var ctlPort: Int?

    @Option(name: [.customShort("x"), .customLong("lattice")], help: "Lattice name (WASMCLOUD_LATTICE, default 'default').")
    var lattice: String?

    @Option(name: .customLong("ctl-topic-prefix"), help: "Control subject prefix (WASMCLOUD_CTL_TOPIC_PREFIX, default wasmbus.ctl).")
    var ctlTopicPrefix: String?

    @Option(name: [.customLong("creds"), .customLong("ctl-credsfile")], help: "NATS .creds file (WASMCLOUD_CTL_CREDS / WASH_CTL_CREDS).")
    var creds: String?

    @Option(name: [.customLong("nkey"), .customLong("ctl-seed")], help: "NKey seed or a file holding it (WASMCLOUD_CTL_SEED).")
    var nkey: String?

    @Option(name: .customLong("ctl-jwt"), help: "User JWT or a file holding it, used with the seed (WASMCLOUD_CTL_JWT).")
    var jwt: String?

    @Option(help: "NATS user name.")
    var user: String?

    @Option(help: "NATS password (with --user).")
    var password: String?

    @Option(help: "NATS authentication token.")
    var token: String?

    @Option(name: [.customLong("tls-ca"), .customLong("ctl-tls-ca-file")], help: "CA certificate to verify the server (WASMCLOUD_CTL_TLS_CA_FILE); turns TLS on.")
    var tlsCA: String?

    @Option(name: .customLong("tls-cert"), help: "Client certificate (with --tls-key).")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "Client private key (with --tls-cert).")
    var tlsKey: String?

    @Option(name: [.customShort("t"), .customLong("timeout"), .customLong("timeout-ms")], help: "Request timeout and gather window in milliseconds (WASMCLOUD_CTL_TIMEOUT_MS, default 2000).")
    var timeout: Int?

    @Option(help: "wash context to use (default: wash's default context, if any).")
    var context: String?

    public init() {}

    public var inputs: ConnectionInputs {
        var i = ConnectionInputs()
        i.natsURLs = natsURLs
        i.ctlHost = ctlHost
        i.ctlPort = ctlPort
        i.lattice = lattice
        i.ctlTopicPrefix = ctlTopicPrefix
        i.credsFile = creds
        i.nkeySeed = nkey
        i.jwt = jwt
        i.user = user
        i.password = password
        i.token = token
        i.tlsCA = tlsCA
        i.tlsCert = tlsCert
        i.tlsKey = tlsKey
        i.timeoutMilliseconds = timeout
        i.context = context
        return i
    }

    /// The settings these flags resolve to in the current environment.
    /// Warnings (such as an invalid default wash context) go to stderr.
    public func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConnectionSettings {
        let settings = try ConnectionSettings.resolve(inputs, environment: environment, contexts: WashContextStore(environment: environment))
        settings.warnings.forEach(CommandSupport.warn)
        return settings
    }
}
