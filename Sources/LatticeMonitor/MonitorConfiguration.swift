/// How the subscription actor watches a lattice.
public struct MonitorConfiguration: Sendable, Equatable {
    /// A full resync this often (and after every reconnect).
    public var resyncInterval: Duration
    /// After a reconnect the monitor resyncs at once and again this much later, when the hosts
    /// (which reconnect on their own schedule) are back.
    public var reconnectFollowUp: Duration
    /// Watch wasmCloud v2 hosts' heartbeats on the same NATS.
    public var watchV2Hosts: Bool
    /// Ask wadm for its applications and follow `wadm.status`.
    public var watchWadm: Bool
    /// Skip the initial and periodic syncs (events only, as `latticetop events` does).
    public var eventsOnly: Bool
    /// JetStream domain for the `CONFIGDATA` bucket.
    public var jsDomain: String?
    /// Messages each subscription may hold for the consumer before dropping (and counting).
    public var bufferLimit: Int
    /// A watched message larger than this is not decoded: it is counted as malformed (servers
    /// may allow payloads of up to 64 MiB; lattice events are a few KiB).
    public var maxPayloadBytes: Int
    /// Inputs the app may leave untaken (its `inputs` queue) before new ones are dropped and
    /// counted: the hand-over is bounded, whatever keeps the app away.
    public var handOverLimit: Int = 262_144
    /// A host's newer heartbeat (and a provider's newer `health_check_status` on the same host)
    /// replaces one still waiting in `inputs`, counted (`BatchQueue.supersededTotal`): the
    /// dashboard's choice, so a lagging UI folds one heartbeat per host, not every one that came
    /// meanwhile. Off by default: `events` shows every input.
    public var supersedesWaitingInputs = false
    /// A sync after the first keeps at most this many `host.get` requests out at once (nil: all
    /// at once, as the first sync does): a resync of 10,000 hosts otherwise has 10,000 replies
    /// arrive, wait and be decoded at once, every minute, and the dashboard's memory peaks on it.
    public var resyncInFlight: Int? = 256
    /// The first sync keeps at most this many `host.get` requests out at once (nil: all at
    /// once). A request's place is freed once the reader has read its reply
    /// (`LatticeClient.hostSync(maxInFlight:)`), so this bounds the undecoded replies too: with
    /// every host asked at once, a 10,000-host lattice's first sync had thousands of replies
    /// (~2.4 KB each from the simulator) waiting for the reader at once. Larger than the
    /// resync's bound: the first picture is wanted as fast as the hosts answer.
    public var firstSyncInFlight: Int? = 1_024
    /// Replay the lattice's recorded events before live ones (nil: live only).
    public var history: HistoryConfiguration?

    public init(resyncInterval: Duration = .seconds(60), reconnectFollowUp: Duration = .seconds(5), watchV2Hosts: Bool = true, watchWadm: Bool = true,
                eventsOnly: Bool = false, jsDomain: String? = nil, bufferLimit: Int = 65_536,
                maxPayloadBytes: Int = 1 << 20, history: HistoryConfiguration? = nil) {
        self.history = history
        self.resyncInterval = resyncInterval
        self.reconnectFollowUp = reconnectFollowUp
        self.watchV2Hosts = watchV2Hosts
        self.watchWadm = watchWadm
        self.eventsOnly = eventsOnly
        self.jsDomain = jsDomain
        self.bufferLimit = bufferLimit
        self.maxPayloadBytes = maxPayloadBytes
    }
}
