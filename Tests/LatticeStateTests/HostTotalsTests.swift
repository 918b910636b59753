import Foundation
import LatticeProtocol
@testable import LatticeState
import TestFixtures
import Testing

/// The sums over every host the reducer keeps as hosts change equal a count from scratch after
/// every input of random histories (issue #14, at 10,000 hosts): `hostTotals`, the header's
/// counts (the dashboard recounted every host a round of health reports marked, 3–7 ms in a
/// frame), and `probeTargetIndex`, the providers latticetop probes (found by a pass over 20,000
/// providers every second, ~23 ms).
@Suite struct HostTotalsTests {
    @Test(arguments: Array(1...40) as [UInt64]) func theTotalsAreACountFromScratchAfterEveryInput(seed: UInt64) {
        var lattice = RandomLattice(seed: seed)
        var state = LatticeState()
        var troubled = false, probed = false
        var lastTargets: (ids: Set<String>, revision: UInt64) = ([], 0)
        for step in 0..<400 {
            let input = lattice.next()
            state.apply(input)
            for host in state.hosts.values where host.tally != HostTally(counting: host) {
                Issue.record("seed \(seed), step \(step) (\(input)): host \(host.id)'s tally \(host.tally), counted \(HostTally(counting: host))")
                return
            }
            let counted = HostTotals(counting: state.hosts.values)
            guard state.hostTotals == counted else {
                Issue.record("seed \(seed), step \(step) (\(input)): totals \(state.hostTotals), counted \(counted)")
                return
            }
            troubled = troubled || counted.troubledProviders > 0
            var targets: [String: Int] = [:]
            for host in state.hosts.values where host.acceptsWorkloadFacts {
                for provider in host.providers.values where provider.status.isRunning && !provider.isBuiltin { targets[provider.id, default: 0] += 1 }
            }
            guard state.probeTargetIndex.hosts == targets, state.probeTargets == state.probeTargetsCounted else {
                Issue.record("seed \(seed), step \(step) (\(input)): probe targets \(state.probeTargetIndex.hosts), counted \(targets)")
                return
            }
            probed = probed || !targets.isEmpty
            // The revision moves whenever the targets do (the probe schedule compares them only then).
            if Set(targets.keys) != lastTargets.ids {
                #expect(state.probeTargetIndex.revision != lastTargets.revision, "seed \(seed), step \(step): targets moved, revision did not")
            }
            lastTargets = (Set(targets.keys), state.probeTargetIndex.revision)
        }
        #expect(troubled, "seed \(seed): some history has a provider in trouble")
        #expect(probed, "seed \(seed): some history has a provider to probe")
    }

    @Test func aHostsShareLeavesTheTotalsWithIt() {
        let beat = { (host: String, at: TimeInterval) -> LatticeInput in
            let inventory = HostInventory(components: [ComponentDescription(id: "c", imageRef: "ghcr.io/test/c:1", maxInstances: 1)],
                                          providers: [ProviderDescription(id: "p")], hostID: host,
                                          friendlyName: host, labels: [:], version: "1.9.2", uptimeHuman: "", uptimeSeconds: 1)
            return .event(LatticeEvent.make(.hostHeartbeat(inventory), source: host, time: RandomLattice.base + at), at: RandomLattice.base + at)
        }
        var state = LatticeState()
        state.apply(contentsOf: [beat("NA", 0), beat("NB", 1)])
        #expect(state.hostTotals.hosts == 2)
        #expect(state.hostTotals.runningProviders == 2)
        // Long silent: stale, then removed with everything it ran.
        for minute in 1...40 { state.apply(.tick(RandomLattice.base + Double(minute) * 60)) }
        #expect(state.hosts.isEmpty)
        #expect(state.hostTotals == HostTotals())
        #expect(state.probeTargetIndex.hosts.isEmpty)
    }
}
