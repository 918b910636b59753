import Foundation
import LatticeProtocol
import LatticeState
import TestFixtures
import Testing

/// `LatticeState.providerHosts`, the hosts of each provider kept by the reducer, is what a scan
/// of every host finds, after every input of random histories (issue #14: the scan per health
/// probe result was the dashboard's CPU at 10,000 hosts).
@Suite struct ProviderHostIndexTests {
    /// What the index stands for: every host whose provider table lists the provider, by host ID.
    static func scan(_ state: LatticeState) -> [String: [String]] {
        var hosts: [String: [String]] = [:]
        for (hostID, host) in state.hosts {
            for providerID in host.providers.keys { hosts[providerID, default: []].append(hostID) }
        }
        return hosts.mapValues { $0.sorted() }
    }

    @Test(arguments: Array(1...40) as [UInt64]) func theIndexIsTheScanAfterEveryInput(seed: UInt64) {
        var lattice = RandomLattice(seed: seed)
        var state = LatticeState()
        for step in 0..<400 {
            let input = lattice.next()
            state.apply(input)
            let scanned = Self.scan(state)
            let indexed = Dictionary(uniqueKeysWithValues: state.providerHosts.providerIDs.map { ($0, state.providerHosts.hosts(of: $0)) })
            guard indexed == scanned else {
                Issue.record("seed \(seed), step \(step) (\(input)): index \(indexed), scan \(scanned)")
                return
            }
            for providerID in lattice.providers + ["unknown"] where scanned[providerID] == nil {
                #expect(state.providerHosts.hosts(of: providerID).isEmpty)
            }
        }
    }

    @Test func hostsAreKeptInOrderAndLeaveWithTheirProvidersOrTheirRecord() {
        let beat = { (host: String, providers: [String], at: TimeInterval) -> LatticeInput in
            let inventory = HostInventory(components: [], providers: providers.map { ProviderDescription(id: $0) }, hostID: host,
                                          friendlyName: host, labels: [:], version: "1.9.2", uptimeHuman: "", uptimeSeconds: 1)
            return .event(LatticeEvent.make(.hostHeartbeat(inventory), source: host, time: RandomLattice.base + at), at: RandomLattice.base + at)
        }
        var state = LatticeState()
        state.apply(contentsOf: [beat("NC", ["p", "q"], 0), beat("NA", ["p"], 1), beat("NB", ["q", "p"], 2)])
        #expect(state.providerHosts.hosts(of: "p") == ["NA", "NB", "NC"])
        #expect(state.providerHosts.hosts(of: "q") == ["NB", "NC"])
        // A heartbeat without q: q's record on that host is what the index follows.
        state.apply(beat("NC", ["p"], 30))
        #expect(state.providerHosts.hosts(of: "q") == Self.scan(state)["q"])
        // A host removed (stale long enough) leaves every list.
        state.apply(contentsOf: [beat("NA", ["p"], 700), beat("NB", ["q", "p"], 700), .tick(RandomLattice.base + 701)])
        #expect(state.hosts["NC"] == nil)
        #expect(state.providerHosts.hosts(of: "p") == ["NA", "NB"])
    }
}
