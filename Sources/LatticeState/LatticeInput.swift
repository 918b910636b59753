import Foundation
import LatticeProtocol

/// Everything the reducer folds into `LatticeState`. Sources (the subscription actor, the
/// control client's sync, the clock) produce these; nothing else changes the state. Time enters
/// only through the `at` values and `.tick`.
public enum LatticeInput: Sendable, Equatable {
    /// A decoded CloudEvent from `wasmbus.evt.{lattice}.>` (or `wadm.evt…`).
    case event(LatticeEvent, at: Date)
    /// An event replayed from a stream that recorded it (the flight recorder, or wadm's
    /// `wasmbus_events`), `at` the time the server stored it. Folded like `.event`; being
    /// history, a debug-level one (heartbeat, health repeat) is not listed in the event log.
    case recorded(LatticeEvent, at: Date)
    /// Loading the lattice's history at start: progress, then the end (after which live events follow).
    case history(HistoryProgress, at: Date)
    /// A message on an event subject that could not be decoded: counted and shown, never fatal.
    case undecodable(subject: String, reason: String, raw: Data, at: Date)
    /// A wasmCloud v2 host heartbeat from `runtime.operator.heartbeat.*`.
    case v2Heartbeat(V2HostHeartbeat, subject: String, at: Date)
    /// latticetop's own health probe of a provider (`wasmbus.rpc.{lattice}.{provider_id}.health`):
    /// the same health facts as the host's `health_check_*` events, stamped as coming from the probe.
    case healthProbe(providerID: String, outcome: ProbeOutcome, at: Date)
    /// A `wadm.status.{lattice}.{app}` message.
    case wadmStatus(application: String, status: WadmStatus, at: Date)

    // Results of a sync (initial or periodic): a sync starts, streams partial results, ends.
    /// A sync began; `id` ties its results together.
    case syncStarted(id: Int, at: Date)
    /// One `host.ping` reply.
    case hostPinged(HostInfo, syncID: Int, at: Date)
    /// One `host.get` reply.
    case inventory(HostInventory, syncID: Int, at: Date)
    /// The `link.get` reply: the complete set of links.
    case links([Link], syncID: Int, at: Date)
    /// The complete set of named config names (from the `CONFIGDATA_{lattice}` bucket) with the
    /// values fetched so far; nil when the names cannot be listed (no JetStream).
    case configs([String: [String: String]]?, syncID: Int, at: Date)
    /// One named config's values (nil: it does not exist), e.g. fetched after `config_set`.
    case config(name: String, values: [String: String]?, at: Date)
    /// wadm's application list; nil when wadm does not answer.
    case applications([ModelSummary]?, syncID: Int, at: Date)
    /// A sync ended. `hostsAnswered` are the hosts that replied to its ping; `complete` is false
    /// when the sync was cut short (connection lost), in which case absence proves nothing.
    case syncFinished(id: Int, hostsAnswered: Set<String>, complete: Bool, at: Date)
    /// A sync step failed (timeout, no responders …): shown, the rest of the sync goes on.
    case syncFailed(step: String, message: String, at: Date)

    /// The NATS connection changed state.
    case connection(ConnectionStatus, at: Date)
    /// Messages the subscriptions dropped so far (buffers full), per subscription subject.
    case dropped(subject: String, total: Int64, at: Date)
    /// Inputs replaced so far in the hand-over to the UI by a newer one of the same kind about
    /// the same thing (a host's heartbeat, a provider's health status) before the UI took them
    /// (a running total).
    case superseded(total: Int64, at: Date)
    /// The clock: staleness, ages and "changed" highlights move on ticks.
    case tick(Date)
}

extension LatticeInput {
    /// When it arrived (or, for a recorded event, was stored; for a tick, the clock's time).
    public var at: Date {
        switch self {
        case .event(_, let at), .recorded(_, let at), .history(_, let at), .undecodable(_, _, _, let at), .v2Heartbeat(_, _, let at),
             .healthProbe(_, _, let at), .wadmStatus(_, _, let at), .syncStarted(_, let at), .hostPinged(_, _, let at),
             .inventory(_, _, let at), .links(_, _, let at), .configs(_, _, let at), .config(_, _, let at), .applications(_, _, let at),
             .syncFinished(_, _, _, let at), .syncFailed(_, _, let at), .connection(_, let at), .dropped(_, _, let at),
             .superseded(_, let at):
            return at
        case .tick(let at):
            return at
        }
    }
}

/// The NATS connection as the model shows it.
public enum ConnectionStatus: Sendable, Equatable {
    case connecting
    case connected(server: String)
    case disconnected
    case reconnecting(attempt: Int)
    case closed
}
