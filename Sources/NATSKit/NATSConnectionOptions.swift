/// How to reach and authenticate to NATS. Values only; `NATSConnection.connect` applies them.
public struct NATSConnectionOptions: Sendable, Equatable {
    /// Server URLs (cluster seeds), e.g. `nats://127.0.0.1:4222`. User/password or a token may be
    /// embedded in a URL as usual.
    public var servers: [String]
    /// The connection name the server shows in its monitoring.
    public var name: String?
    public var user: String?
    public var password: String?
    public var token: String?
    /// A user NKey seed (`SU…`), either the seed itself or a path to a file holding it.
    public var nkeySeed: String?
    /// A `.creds` file (JWT + seed).
    public var credentialsFile: String?
    /// A user JWT (string or file path), used together with `nkeySeed` as a pair (wash's `--ctl-jwt` + `--ctl-seed`).
    public var jwt: String?
    /// A CA certificate file to verify the server with; setting it requires TLS.
    public var tlsCAFile: String?
    public var tlsCertFile: String?
    public var tlsKeyFile: String?
    /// Require TLS even without a CA file (the system trust store is used).
    public var tlsRequired: Bool
    /// Time allowed for each connection attempt.
    public var connectTimeout: Duration
    /// Keep retrying in the background when the first connection fails (for long-running UIs).
    public var retryOnFailedConnect: Bool
    /// Reconnect back-off: first wait, doubled each attempt up to `maxReconnectWait`, plus jitter.
    public var reconnectWait: Duration
    public var maxReconnectWait: Duration
    /// How often the client pings the server (also how RTT stays fresh and how a dead link is found).
    public var pingInterval: Duration
    /// Do not add servers the cluster announces (tests that want one exact server).
    public var ignoreDiscoveredServers: Bool
    /// Deliver every subscription's messages from cnats' shared thread pool instead of one thread
    /// per subscription (for a connection with many subscriptions).
    public var globalMessageDelivery: Bool = false

    public init(
        servers: [String] = ["nats://127.0.0.1:4222"],
        name: String? = "latticetop",
        user: String? = nil,
        password: String? = nil,
        token: String? = nil,
        nkeySeed: String? = nil,
        credentialsFile: String? = nil,
        jwt: String? = nil,
        tlsCAFile: String? = nil,
        tlsCertFile: String? = nil,
        tlsKeyFile: String? = nil,
        tlsRequired: Bool = false,
        connectTimeout: Duration = .seconds(2),
        retryOnFailedConnect: Bool = false,
        reconnectWait: Duration = .milliseconds(250),
        maxReconnectWait: Duration = .seconds(5),
        pingInterval: Duration = .seconds(20),
        ignoreDiscoveredServers: Bool = false
    ) {
        self.servers = servers
        self.name = name
        self.user = user
        self.password = password
        self.token = token
        self.nkeySeed = nkeySeed
        self.credentialsFile = credentialsFile
        self.jwt = jwt
        self.tlsCAFile = tlsCAFile
        self.tlsCertFile = tlsCertFile
        self.tlsKeyFile = tlsKeyFile
        self.tlsRequired = tlsRequired
        self.connectTimeout = connectTimeout
        self.retryOnFailedConnect = retryOnFailedConnect
        self.reconnectWait = reconnectWait
        self.maxReconnectWait = maxReconnectWait
        self.pingInterval = pingInterval
        self.ignoreDiscoveredServers = ignoreDiscoveredServers
    }

    /// The delay before reconnect attempt `attempt` (1-based), without jitter.
    public func backoff(attempt: Int) -> Duration {
        let base = reconnectWait.milliseconds
        let cap = maxReconnectWait.milliseconds
        let shift = min(max(attempt - 1, 0), 20)
        return .milliseconds(min(cap, base << shift))
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}
