import Foundation

/// Folding latticetop's own health probes into the model (the host's `health_check_*` events
/// go through `applyEvent`; both end in the same provider health facts, each with its source).
extension LatticeState {
    mutating func applyHealthProbe(providerID: String, outcome: ProbeOutcome, at: Date) {
        let stamp = Stamp(time: at, tiebreak: "~probe")
        let context = refreshContext
        // The hosts that have it (usually one), in ID order: one pass over the table, then a sort
        // of those few. Sorting every host's ID per probe was most of the dashboard's time at
        // 10,000 hosts (667 probes a second), so it fell behind and its hand-over grew.
        var holders: [String] = []
        var position = hosts.values.startIndex
        while position != hosts.values.endIndex {
            if Self.lists(hosts.values[position].providers, providerID) { holders.append(hosts.keys[position]) }
            hosts.values.formIndex(after: &position)
        }
        for hostID in holders.sorted() {
            guard let index = hosts.index(forKey: hostID),
                  let changed = hosts.values[index].applyProbe(providerID: providerID, outcome: outcome, stamp: stamp, at: at,
                                                               context: context),
                  changed
            else { continue }
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
