import Foundation

/// Folding latticetop's own health probes into the model (the host's `health_check_*` events
/// go through `applyEvent`; both end in the same provider health facts, each with its source).
extension LatticeState {
    mutating func applyHealthProbe(providerID: String, outcome: ProbeOutcome, at: Date) {
        applyHealthProbe(providerID: providerID, outcome: outcome, at: at, hostIDs: providerHosts.hosts(of: providerID))
    }

    /// The result on `hostIDs` (in that order: the Events pane's lines), the hosts that run the provider.
    private mutating func applyHealthProbe(providerID: String, outcome: ProbeOutcome, at: Date, hostIDs: [String]) {
        let stamp = Stamp(time: at, tiebreak: "~probe")
        let context = refreshContext
        for hostID in hostIDs {
            guard let index = hosts.index(forKey: hostID),
                  let (changed, shown) = changeHost(at: index, {
                      $0.applyProbe(providerID: providerID, outcome: outcome, stamp: stamp, at: at, context: context)
                  })
            else { continue }
            if shown { changes.mark(.workloads(hostID)) }
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

    /// The Events pane's kind for a probe result.
    public static let probeLogKind = "health_probe"

    /// Running binary providers, by ID (what latticetop probes): builtin ones are never probed,
    /// and a provider on several hosts is one subject.
    public var probeTargets: [String] { probeTargetIndex.hosts.keys.sorted() }

    /// `probeTargets`, unordered (what the loop asks for once a second; the schedule orders
    /// only the due ones): kept by the reducer as hosts change (`probeTargetIndex`), not found
    /// by a pass over every provider (~23 ms a second at 20,000 providers, each record copied
    /// out to read two fields).
    public var probeTargetSet: Dictionary<String, Int>.Keys { probeTargetIndex.hosts.keys }

    /// `probeTargets` found by a pass over every host (what `probeTargetIndex` stands for).
    public var probeTargetsCounted: [String] {
        var ids = Set<String>()
        for host in hosts.values where host.acceptsWorkloadFacts {
            for provider in host.providers.values where provider.status.isRunning && !provider.isBuiltin { ids.insert(provider.id) }
        }
        return ids.sorted()
    }
}
