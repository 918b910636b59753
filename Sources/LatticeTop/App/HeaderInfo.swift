/// The header line's facts, taken from the lattice state and the connection.
public struct HeaderInfo: Sendable, Equatable {
    public var context: String?
    public var lattice: String
    public var server: String
    public var connection: String
    public var connected: Bool
    public var rttMilliseconds: Double?
    public var hosts: Int
    public var components: Int
    public var providers: Int
    public var links: Int
    public var unhealthy: Int
    public var messagesPerSecond: Double
    /// A full-width notice (connection lost …), or nil.
    public var banner: String?
    /// While the past is shown: `⏪ AT 10:42:03 — live: 10:57:10` (first, in the warning colour).
    public var travel: String?
    /// While the first sync runs: `⟳ syncing 6123/10000 inventoried` (hosts with their inventory
    /// of those known): the panes may still be filling in, and their frames come paced
    /// (`DashboardLoop.framePace`).
    public var syncing: String?

    public init(context: String? = nil, lattice: String, server: String, connection: String, connected: Bool,
                rttMilliseconds: Double? = nil, hosts: Int = 0, components: Int = 0, providers: Int = 0, links: Int = 0,
                unhealthy: Int = 0, messagesPerSecond: Double = 0, banner: String? = nil, syncing: String? = nil) {
        self.context = context
        self.lattice = lattice
        self.server = server
        self.connection = connection
        self.connected = connected
        self.rttMilliseconds = rttMilliseconds
        self.hosts = hosts
        self.components = components
        self.providers = providers
        self.links = links
        self.unhealthy = unhealthy
        self.messagesPerSecond = messagesPerSecond
        self.banner = banner
        self.syncing = syncing
    }
}

extension HeaderInfo {
    /// The server as the header names it: without scheme and credentials; of several (cluster
    /// seeds) the first and how many more (`nats-0.example:4222 +2`).
    static func serverName(_ server: String) -> String {
        let seeds = server.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let first = seeds.first else { return "" }
        var name = Substring(first)
        if let scheme = name.range(of: "://") { name = name[scheme.upperBound...] }
        if let at = name.lastIndex(of: "@") { name = name[name.index(after: at)...] }
        return String(name) + (seeds.count > 1 ? " +\(seeds.count - 1)" : "")
    }

    /// `serverName` shortened for a narrow header: a DNS name keeps its first label and the port
    /// (`nats-0.nats.wasmcloud.svc.cluster.local:4222` → `nats-0…:4222`); addresses stay whole.
    static func abbreviatedServerName(_ server: String) -> String {
        let name = serverName(server)
        let (seed, more) = name.firstIndex(of: " ").map { (name[..<$0], name[$0...]) } ?? (name[...], "")
        let (host, port) = seed.lastIndex(of: ":").map { (seed[..<$0], seed[$0...]) } ?? (seed, "")
        let isAddress = host.hasPrefix("[") || host.allSatisfy { $0.isNumber || $0 == "." }
        guard !isAddress, let dot = host.firstIndex(of: ".") else { return name }
        return host[..<dot] + "…" + port + more
    }
}
