import Foundation

/// Folding latticetop's own health probes into the model (the host's `health_check_*` events
/// go through `applyEvent`; both end in the same provider health facts, each with its source).
extension LatticeState {
    mutating func applyHealthProbe(providerID: String, outcome: ProbeOutcome, at: Date) {
        // In place (no copy of each host's record).
        var running: [String] = []
        for i in hosts.indices where Self.lists(hosts.values[i].providers, providerID) { running.append(hosts.keys[i]) }
        applyHealthProbe(providerID: providerID, outcome: outcome, at: at, hostIDs: running.sorted())
    }

    /// One probe result each, in order: the hosts running each provider are looked up once for
    /// the run (probes do not add or remove providers).
    mutating func applyHealthProbes(_ results: [ProbeResult]) {
        guard results.count > 1 else {
            for r in results {
                changes.advance()
                advance(to: r.at)
                applyHealthProbe(providerID: r.providerID, outcome: r.outcome, at: r.at)
            }
            return
        }
        let probed = Set(results.map(\.providerID))
        var running: [String: [String]] = [:]
        for i in hosts.indices {
            for providerID in hosts.values[i].providers.keys where probed.contains(providerID) {
                running[providerID, default: []].append(hosts.keys[i])
            }
        }
        for key in running.keys { running[key]?.sort() }
        for r in results {
            changes.advance()  // one revision per input, as `apply` gives it
            advance(to: r.at)
            applyHealthProbe(providerID: r.providerID, outcome: r.outcome, at: r.at, hostIDs: running[r.providerID] ?? [])
        }
    }

    /// The result on `hostIDs` (in that order: the Events pane's lines), the hosts that run the provider.
    private mutating func applyHealthProbe(providerID: String, outcome: ProbeOutcome, at: Date, hostIDs: [String]) {
        let stamp = Stamp(time: at, tiebreak: "~probe")
        let context = refreshContext
        for hostID in hostIDs {
            guard let index = hosts.index(forKey: hostID),
                  let changed = hosts.values[index].applyProbe(providerID: providerID, outcome: outcome, stamp: stamp, at: at,
                                                               context: context)
            else { continue }
            changes.mark(.host(hostID))
            guard changed else { continue }
            // A new spell is a line in the Events pane (an answer that repeats the last one is not).
            let severity: EventSeverity
            switch outcome {
            case .healthy: severity = .info
            case .unhealthy, .notAnswering, .noHealthEndpoint: severity = .warning
            }
            log(EventLogEntry(time: at, receivedAt: at, hostID: hostID, kind: Self.probeLogKind,
                              summary: "provider \(providerID) \(outcome.summary) (latticetop probe)", severity: severity))
        }
        lastUpdate[.hosts] = at
    }

    /// A probe result waiting in a run (`apply(contentsOf:)`).
    struct ProbeResult {
        var providerID: String
        var outcome: ProbeOutcome
        var at: Date
    }

    /// Whether `table` has `key`: a few keys are compared in turn (cheaper than hashing the key
    /// for each of 10,000 hosts' tables), more are looked up.
    static func lists<Value>(_ table: [String: Value], _ key: String) -> Bool {
        table.count <= 8 ? table.keys.contains(key) : table.index(forKey: key) != nil
    }

    /// The Events pane's kind for a probe result.
    public static let probeLogKind = "health_probe"

    /// Running binary providers, by ID (what latticetop probes): builtin ones are never probed,
    /// and a provider on several hosts is one subject.
    public var probeTargets: [String] {
        var ids = Set<String>()
        for host in hosts.values where host.acceptsWorkloadFacts {
            for provider in host.providers.values where provider.status.isRunning && !provider.isBuiltin {
                ids.insert(provider.id)
            }
        }
        return ids.sorted()
    }
}
