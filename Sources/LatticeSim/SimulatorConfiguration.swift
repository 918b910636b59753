/// What the simulated lattice looks like and how it behaves.
public struct SimulatorConfiguration: Sendable, Equatable {
    public var lattice: String
    public var ctlTopicPrefix: String
    /// Number of simulated hosts.
    public var hosts: Int
    /// Populate the demo workload (components, providers, links, named config) at start.
    public var workload: Bool
    /// Heartbeat period; a 1.x host's default is 30 s, first one one period after start.
    public var heartbeatInterval: Duration
    /// Provider health probe period (30 s in 1.x) and the delay before the first probe (5 s).
    public var healthCheckInterval: Duration
    public var firstHealthCheckDelay: Duration
    /// wRPC invocations per second across all links (0 turns traffic off).
    public var invocationsPerSecond: Double
    /// Scripted faults and when they strike after start.
    public var faults: Set<SimulatedFault>
    public var faultDelay: Duration
    /// Host software version reported.
    public var version: String
    /// The experimental builtin providers (`wasmcloud+builtin://http-server|http-client|messaging-nats`)
    /// are on. Off (a host's default), a start of the builtin `http-server` or `messaging-nats`
    /// gets no reply at all and `http-client` fails with `provider_start_failed`.
    public var builtinProviders: Bool
    /// Answer wadm's `model.get` for the demo apps.
    public var wadm: Bool
    /// The wadm version answered as: below 0.15 `model.get` without a name is refused with
    /// "Unsupported subject" and only the deprecated `model.list` lists applications.
    public var wadmVersion: String
    /// Put hostile strings (escape sequences, bidi overrides, zero-width characters) in the first
    /// host's name and labels, an extra component, provider, link and config, and every wRPC
    /// payload: see `HostileWorkload`.
    public var hostile: Bool
    /// A large generated workload instead of the demo's (when `workload` is on).
    public var scale: ScaleWorkload?
    /// How providers with these IDs answer health probes (the rest answer healthy, unless a
    /// fault or an `unhealthy` image says otherwise).
    public var healthAnswers: [String: SimulatedHealthAnswer] = [:]

    /// Derive host IDs and names from this seed and each host's index instead of at random: the same
    /// seed and indexes give the same hosts (processes that split one lattice share a seed).
    public var hostSeed: UInt64?
    /// The lattice-wide index of this simulator's first host (`--processes` gives each process its
    /// own range, so IDs stay unique and labels and names continue where the previous one ended).
    public var firstHostIndex = 0
    /// The lattice's host count when this simulator holds only a range of it (`--processes`, or
    /// one process per NATS node); nil: `hosts`. A scale workload is placed as on one simulator of
    /// this many hosts (component `i` on lattice host `i % latticeHosts`), each process deploying
    /// what falls on its own hosts, so the lattice is the same however it is split.
    public var latticeHosts: Int?
    /// Answer the lattice-wide queue-group requests (`link.*`, `config.>`, `claims.get`) and wadm.
    /// Off for all but one of several processes that simulate one lattice: the one that holds the
    /// links and config answers them.
    public var answersLatticeWide = true

    public init(
        lattice: String = "default",
        ctlTopicPrefix: String = "wasmbus.ctl",
        hosts: Int = 3,
        workload: Bool = true,
        heartbeatInterval: Duration = .seconds(30),
        healthCheckInterval: Duration = .seconds(30),
        firstHealthCheckDelay: Duration = .seconds(5),
        invocationsPerSecond: Double = 5,
        faults: Set<SimulatedFault> = [],
        faultDelay: Duration = .seconds(20),
        version: String = "1.9.2",
        builtinProviders: Bool = false,
        wadm: Bool = true,
        wadmVersion: String = "0.21.1",
        hostile: Bool = false,
        scale: ScaleWorkload? = nil
    ) {
        self.lattice = lattice
        self.ctlTopicPrefix = ctlTopicPrefix
        self.hosts = hosts
        self.workload = workload
        self.heartbeatInterval = heartbeatInterval
        self.healthCheckInterval = healthCheckInterval
        self.firstHealthCheckDelay = firstHealthCheckDelay
        self.invocationsPerSecond = invocationsPerSecond
        self.faults = faults
        self.faultDelay = faultDelay
        self.version = version
        self.builtinProviders = builtinProviders
        self.wadm = wadm
        self.wadmVersion = wadmVersion
        self.hostile = hostile
        self.scale = scale
    }

    /// Fast settings for tests and the demo: everything happens within seconds.
    public static func fast(hosts: Int = 3, faults: Set<SimulatedFault> = []) -> SimulatorConfiguration {
        SimulatorConfiguration(
            hosts: hosts, heartbeatInterval: .seconds(2), healthCheckInterval: .seconds(2),
            firstHealthCheckDelay: .milliseconds(500), invocationsPerSecond: 20, faults: faults,
            faultDelay: .seconds(3)
        )
    }
}

/// Faults the simulator can script.
public enum SimulatedFault: String, CaseIterable, Sendable, Hashable {
    /// A provider's process dies: it stays in the inventory but health probes go unanswered, so
    /// the host emits no more health events for it (as a 1.x host does for a hung provider).
    case providerCrash = "crash"
    /// A provider that was healthy starts failing its health checks (`health_check_failed`,
    /// then `health_check_status`), and one that is unhealthy from its first probe (only
    /// `health_check_status`).
    case failingHealth = "unhealthy"
    /// A provider start that fails (`provider_start_failed` after a successful ack).
    case failedStart = "failed-start"
    /// A host that vanishes: no more heartbeats, no replies, and no `host_stopped`.
    case vanishingHost = "vanish"
}
