import Foundation
import LatticeProtocol

/// Read-side helpers for the panes. All pure, all sorted the same way every time.
extension LatticeState {
    /// Hosts by friendly name, then ID.
    public var sortedHosts: [HostRecord] {
        hosts.values.sorted { ($0.friendlyName, $0.id) < ($1.friendlyName, $1.id) }
    }

    /// Every shown component on every host (running or recently failed), by ID then host.
    public var allComponents: [ComponentRecord] {
        Self.sortedByIDThenHost(hosts.values.flatMap { $0.components.values.filter(\.isVisible) }) { ($0.id, $0.hostID) }
    }

    /// The number of components running on hosts, counted without building the sorted list.
    public var runningComponentCount: Int {
        hosts.values.reduce(0) { sum, host in sum + host.components.values.reduce(0) { $0 + ($1.status == .running ? 1 : 0) } }
    }

    /// The number of providers running on hosts, counted without building the sorted list.
    public var runningProviderCount: Int {
        hosts.values.reduce(0) { sum, host in sum + host.providers.values.reduce(0) { $0 + ($1.status.isRunning ? 1 : 0) } }
    }

    /// The number of links shown (present, or refused recently): `linkReports.count` without the findings.
    public var visibleLinkCount: Int { links.values.reduce(0) { $0 + ($1.isVisible ? 1 : 0) } }

    /// `records` ordered by `key`: the order is found on indices, so the (large) records are moved
    /// once instead of at every step of the sort.
    static func sortedByIDThenHost<R>(_ records: [R], key: (R) -> (String, String)) -> [R] {
        ByteOrder.sortedIndices(records.map(key)).map { records[$0] }
    }

    /// Every provider on every host (running, stopped or failed recently), by ID then host.
    public var allProviders: [ProviderRecord] {
        Self.sortedByIDThenHost(hosts.values.flatMap(\.providers.values)) { ($0.id, $0.hostID) }
    }

    /// Providers that need a look: not running, unhealthy, never reported healthy, or stale.
    public var unhealthyProviderCount: Int {
        hosts.values.reduce(0) { $0 + $1.providers.values.filter(\.needsAttention).count }
    }

    /// IDs of components and providers running on hosts that are not stopped.
    public var runningIDs: Set<String> {
        var ids = Set<String>()
        for host in hosts.values where !host.liveness.isStopped {
            for component in host.components.values where component.status == .running { ids.insert(component.id) }
            for provider in host.providers.values where provider.status.isRunning { ids.insert(provider.id) }
        }
        return ids
    }

    /// Shown links (present, or refused recently) with their findings, sorted by key.
    public var linkReports: [LinkReport] { LinkReportIndex(self).sortedReports }

    /// The findings for one link.
    public func findings(for link: LinkRecord) -> [LinkFinding] {
        let others = links.values.filter { $0.isPresent && $0.id.base == link.id.base && $0.id != link.id }.map(\.id).sorted()
        let running = runningIDs
        return LinkFinding.judge(link, knowsWorkloads: knowsWorkloads, isRunning: running.contains, configNamesKnown: configNamesKnown,
                                 configExists: { configs[$0]?.exists == true }, othersOfBase: others)
    }

    /// Some 1.x host reported what runs on it (before that, "not running" would be a guess).
    public var knowsWorkloads: Bool {
        hosts.values.contains { $0.facts.inventory != nil && !$0.liveness.isStopped }
    }

    /// Named configs that exist, by name.
    public var sortedConfigs: [ConfigRecord] {
        configs.values.filter(\.exists).sorted { $0.id < $1.id }
    }

    /// Names whose values are unknown or older than the last `config_set`: fetch them.
    public var configsNeedingValues: [String] {
        configs.values.filter { $0.exists && $0.valuesAreStale && !$0.isSecretReference }.map(\.id).sorted()
    }

    /// wadm applications that exist, by name.
    public var sortedApplications: [ApplicationRecord] {
        applications.values.filter(\.exists).sorted { $0.id < $1.id }
    }

    /// What belongs to a wadm application (by the `wasmcloud.dev/appspec` annotation).
    public func members(ofApplication name: String) -> ApplicationMembers {
        ApplicationMembers(
            components: allComponents.filter { $0.application == name },
            providers: allProviders.filter { $0.application == name })
    }

    /// One host with everything on it and the links that touch it.
    public func drillDown(host id: String) -> HostDrillDown? {
        guard let host = hosts[id] else { return nil }
        let ids = Set(host.components.keys).union(host.providers.keys)
        return HostDrillDown(
            host: host, components: host.visibleComponents, providers: host.visibleProviders,
            links: linkReports.filter { ids.contains($0.record.link.sourceID) || ids.contains($0.record.link.target) })
    }
}

/// The components and providers of one wadm application.
public struct ApplicationMembers: Sendable, Equatable {
    public var components: [ComponentRecord]
    public var providers: [ProviderRecord]
}

/// One host with what runs on it and the links that touch it.
public struct HostDrillDown: Sendable, Equatable {
    public var host: HostRecord
    public var components: [ComponentRecord]
    public var providers: [ProviderRecord]
    public var links: [LinkReport]
}
