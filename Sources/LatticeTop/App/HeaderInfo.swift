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

    public init(context: String? = nil, lattice: String, server: String, connection: String, connected: Bool,
                rttMilliseconds: Double? = nil, hosts: Int = 0, components: Int = 0, providers: Int = 0, links: Int = 0,
                unhealthy: Int = 0, messagesPerSecond: Double = 0, banner: String? = nil) {
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
    }
}
