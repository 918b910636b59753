import Foundation
import LatticeProtocol

/// The shown links with their findings, kept up to date from the state's change journal: a
/// change re-judges only the links it can affect (the link itself, the links sharing its base,
/// the links of a component or provider that started or stopped running anywhere, the links
/// naming a config that appeared or went), so 20,000 links cost what changed, not 20,000
/// judgements. `LinkReportIndex(state)` is the from-scratch build; `update(to:)` from an
/// earlier index of the same state's history gives the same value.
public struct LinkReportIndex: Sendable, Equatable {
    /// The state revision it describes.
    public private(set) var revision: UInt64
    /// Every shown link (present, or refused recently) with its findings.
    public private(set) var reports: [LinkKey: LinkReport] = [:]

    /// Per component or provider ID, the number of hosts (not stopped) it runs on.
    private var runningOn: [String: Int] = [:]
    /// Per host (not stopped), the IDs it runs and whether it reported an inventory.
    private var hostWorkloads: [String: HostWorkloads] = [:]
    /// Hosts (not stopped) that reported an inventory: findings about what runs need one.
    private var inventoryHosts = 0
    private var configNamesKnown = false
    /// Present links by base (`ambiguousForDelete`), shown links by source and target ID and by
    /// the configs they name.
    private var present: [LinkBaseKey: Set<LinkKey>] = [:]
    private var byEndpoint: [String: Set<LinkKey>] = [:]
    private var byConfig: [String: Set<LinkKey>] = [:]

    private struct HostWorkloads: Sendable, Equatable {
        var running: Set<String>
        var inventory: Bool
    }

    /// Built from scratch.
    public init(_ state: LatticeState) {
        revision = state.changes.revision
        configNamesKnown = state.configNamesKnown
        for host in state.hosts.values { _ = setWorkloads(of: host.id, to: Self.workloads(of: host)) }
        for record in state.links.values where record.isVisible { index(record) }
        for record in state.links.values where record.isVisible { reports[record.id] = report(record, in: state) }
    }

    /// Brought to `state` (a later state of the same history). Returns the links whose report
    /// changed (appeared, went or was re-judged differently), nil when it had to be rebuilt
    /// from scratch (the journal no longer reaches back to its revision).
    @discardableResult
    public mutating func update(to state: LatticeState) -> Set<LinkKey>? {
        guard let changes = state.changes.changes(since: revision) else {
            self = LinkReportIndex(state)
            return nil
        }
        revision = state.changes.revision
        if changes.isEmpty { return [] }
        let knewWorkloads = inventoryHosts > 0
        var dirty = changes.links
        // What runs where: the links of an ID that started or stopped running anywhere.
        for id in changes.hosts {
            let now = state.hosts[id].flatMap(Self.workloads)
            for flipped in setWorkloads(of: id, to: now) { dirty.formUnion(byEndpoint[flipped] ?? []) }
        }
        for name in changes.configs { dirty.formUnion(byConfig[name] ?? []) }
        let everything = changes.allLinks || state.configNamesKnown != configNamesKnown || (inventoryHosts > 0) != knewWorkloads
        configNamesKnown = state.configNamesKnown
        // The changed links themselves, and the others of a base whose present members changed.
        for key in changes.links {
            let old = reports[key]?.record, new = state.links[key].flatMap { $0.isVisible ? $0 : nil }
            if let old { unindex(old) }
            if let new { index(new) }
            if (old?.isPresent ?? false) != (new?.isPresent ?? false) { dirty.formUnion(present[key.base] ?? []) }
        }
        if everything { dirty.formUnion(reports.keys) }
        var changed = Set<LinkKey>()
        for key in dirty {
            let new = state.links[key].flatMap { $0.isVisible ? report($0, in: state) : nil }
            if reports[key] != new {
                reports[key] = new
                changed.insert(key)
            }
        }
        return changed
    }

    /// The shown links' reports, by key (the order of `LatticeState.linkReports`).
    public var sortedReports: [LinkReport] {
        let unordered = Array(reports.values)
        return ByteOrder.sortedIndices(count: unordered.count) { i, bytes in LinkReportIndex.orderBytes(unordered[i].record.id, into: &bytes) }
            .map { unordered[$0] }
    }

    /// A link key's place in the Links pane: its fields, in order, each ended by a 0 byte.
    public static func orderBytes(_ key: LinkKey, into bytes: inout [UInt8]) {
        for field in [key.sourceID, key.witNamespace, key.witPackage, key.name, key.target] {
            bytes.append(contentsOf: field.utf8)
            bytes.append(0)
        }
    }

    // MARK: - Judging one link

    private func report(_ record: LinkRecord, in state: LatticeState) -> LinkReport {
        let others = (present[record.id.base] ?? []).filter { $0 != record.id }.sorted()
        let findings = LinkFinding.judge(record, knowsWorkloads: inventoryHosts > 0, isRunning: { (runningOn[$0] ?? 0) > 0 },
                                         configNamesKnown: state.configNamesKnown,
                                         configExists: { state.configs[$0]?.exists == true }, othersOfBase: others)
        return LinkReport(record: record, findings: findings)
    }

    // MARK: - The indexes

    private static func workloads(of host: HostRecord) -> HostWorkloads? {
        guard !host.liveness.isStopped else { return nil }
        var running = Set<String>()
        for component in host.components.values where component.status == .running { running.insert(component.id) }
        for provider in host.providers.values where provider.status.isRunning { running.insert(provider.id) }
        return HostWorkloads(running: running, inventory: host.facts.inventory != nil)
    }

    /// Sets what a host runs; returns the IDs that started or stopped running anywhere.
    private mutating func setWorkloads(of hostID: String, to new: HostWorkloads?) -> [String] {
        let old = hostWorkloads[hostID]
        guard old != new else { return [] }
        hostWorkloads[hostID] = new
        inventoryHosts += (new?.inventory == true ? 1 : 0) - (old?.inventory == true ? 1 : 0)
        var flipped: [String] = []
        let before = old?.running ?? [], after = new?.running ?? []
        for id in before.subtracting(after) {
            let n = (runningOn[id] ?? 1) - 1
            runningOn[id] = n > 0 ? n : nil
            if n <= 0 { flipped.append(id) }
        }
        for id in after.subtracting(before) {
            let n = (runningOn[id] ?? 0) + 1
            runningOn[id] = n
            if n == 1 { flipped.append(id) }
        }
        return flipped
    }

    private mutating func index(_ record: LinkRecord) {
        let key = record.id
        if record.isPresent { present[key.base, default: []].insert(key) }
        byEndpoint[key.sourceID, default: []].insert(key)
        byEndpoint[key.target, default: []].insert(key)
        for name in Set(record.link.sourceConfig + record.link.targetConfig) { byConfig[name, default: []].insert(key) }
    }

    private mutating func unindex(_ record: LinkRecord) {
        let key = record.id
        if record.isPresent { Self.remove(key, from: &present, at: key.base) }
        Self.remove(key, from: &byEndpoint, at: key.sourceID)
        Self.remove(key, from: &byEndpoint, at: key.target)
        for name in Set(record.link.sourceConfig + record.link.targetConfig) { Self.remove(key, from: &byConfig, at: name) }
    }

    private static func remove<K: Hashable>(_ key: LinkKey, from index: inout [K: Set<LinkKey>], at slot: K) {
        guard var set = index.removeValue(forKey: slot) else { return }
        set.remove(key)
        if !set.isEmpty { index[slot] = set }
    }
}

extension LinkFinding {
    /// The findings about one link, given what they read of the rest of the lattice: whether
    /// some host reported what it runs (`knowsWorkloads`), which IDs run, whether config names
    /// can be listed and which exist, and the other present links of its base. The one rule,
    /// for the full build and the incremental one.
    static func judge(_ record: LinkRecord, knowsWorkloads: Bool, isRunning: (String) -> Bool, configNamesKnown: Bool,
                      configExists: (String) -> Bool, othersOfBase: [LinkKey]) -> [LinkFinding] {
        var findings: [LinkFinding] = []
        let link = record.link
        if let refusal = record.refusal { findings.append(.putRefused(error: refusal.error, at: refusal.at)) }
        guard record.isPresent else { return findings }
        if knowsWorkloads {
            if !isRunning(link.sourceID) { findings.append(.sourceNotRunning(link.sourceID)) }
            if !isRunning(link.target) { findings.append(.targetNotRunning(link.target)) }
        }
        if configNamesKnown {
            let missingSource = link.sourceConfig.filter { !SecretReference.isReference($0) && !configExists($0) }
            if !missingSource.isEmpty { findings.append(.missingSourceConfig(missingSource)) }
            let missingTarget = link.targetConfig.filter { !SecretReference.isReference($0) && !configExists($0) }
            if !missingTarget.isEmpty { findings.append(.missingTargetConfig(missingTarget)) }
        }
        if !othersOfBase.isEmpty { findings.append(.ambiguousForDelete(others: othersOfBase)) }
        return findings
    }
}
