/// Which hosts list each provider (running, stopped or failed: every provider record a host
/// holds), kept by the reducer as hosts change, so the hosts of a provider are found without
/// scanning every host (at 10,000 hosts a scan per health probe result was the dashboard's
/// main cost).
public struct ProviderHostIndex: Sendable, Equatable {
    /// Host IDs by provider ID, each list in ascending order.
    private var hostsByProvider: [String: [String]] = [:]
    /// The provider IDs each host listed when it was last indexed.
    private var providersByHost: [String: [String]] = [:]

    public init() {}

    /// The same hosts for every provider (the per-host lists are the same facts, in whatever
    /// order each host's table gave them).
    public static func == (a: Self, b: Self) -> Bool { a.hostsByProvider == b.hostsByProvider }

    /// The hosts that list `providerID`, in ascending order of host ID.
    public func hosts(of providerID: String) -> [String] {
        hostsByProvider[providerID] ?? []
    }

    /// Every provider ID listed on some host (no order).
    public var providerIDs: Dictionary<String, [String]>.Keys { hostsByProvider.keys }

    /// Notes that `hostID` now lists exactly `providers` (the keys of its provider table).
    mutating func update<S: Collection>(host hostID: String, providers: S) where S.Element == String {
        let known = providersByHost[hostID] ?? []
        if known.count == providers.count && providers.allSatisfy(known.contains) { return }
        for providerID in known where !providers.contains(providerID) { unlink(hostID, providerID) }
        for providerID in providers where !known.contains(providerID) { link(hostID, providerID) }
        if providers.isEmpty {
            providersByHost.removeValue(forKey: hostID)
        } else {
            providersByHost[hostID] = Array(providers)
        }
    }

    /// Notes that `hostID` is gone.
    mutating func remove(host hostID: String) {
        update(host: hostID, providers: [String]())
    }

    private mutating func link(_ hostID: String, _ providerID: String) {
        // In place (the default subscript does not copy the list), one look-up.
        func insert(_ hosts: inout [String]) { hosts.insert(hostID, at: Self.insertionPoint(of: hostID, in: hosts)) }
        insert(&hostsByProvider[providerID, default: []])
    }

    private mutating func unlink(_ hostID: String, _ providerID: String) {
        guard let index = hostsByProvider.index(forKey: providerID) else { return }
        let i = Self.insertionPoint(of: hostID, in: hostsByProvider.values[index])
        guard i < hostsByProvider.values[index].count, hostsByProvider.values[index][i] == hostID else { return }
        hostsByProvider.values[index].remove(at: i)
        if hostsByProvider.values[index].isEmpty { hostsByProvider.remove(at: index) }
    }

    /// The first position in `sorted` whose element is not below `id`.
    private static func insertionPoint(of id: String, in sorted: [String]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < id { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
