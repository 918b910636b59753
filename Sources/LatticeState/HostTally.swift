import Foundation

/// What one host adds to the lattice's totals, the header's counts: whether it is not stopped,
/// its running components and providers, and its providers in trouble
/// (`ProviderRecord.isInTrouble`). Kept by the host's record as its liveness, components and
/// providers change (`HostRecord.tally`), and summed by the reducer as hosts change
/// (`LatticeState.hostTotals`), so the header is counted without a pass over the hosts a round
/// of health reports marked.
public struct HostTally: Sendable, Equatable {
    public var notStopped: Int32 = 0
    public var runningComponents: Int32 = 0
    public var runningProviders: Int32 = 0
    public var troubledProviders: Int32 = 0

    init(notStopped: Int32 = 0) { self.notStopped = notStopped }

    /// The tally of `host`, counted from its records.
    public init(counting host: HostRecord) {
        notStopped = host.liveness.isStopped ? 0 : 1
        countComponents(host.components)
        countProviders(host.providers)
    }

    mutating func countComponents(_ components: [String: ComponentRecord]) {
        var running: Int32 = 0
        var index = components.startIndex
        while index != components.endIndex {
            if components.values[index].status == .running { running += 1 }
            components.formIndex(after: &index)
        }
        runningComponents = running
    }

    mutating func countProviders(_ providers: [String: ProviderRecord]) {
        var (running, troubled): (Int32, Int32) = (0, 0)
        var index = providers.startIndex
        while index != providers.endIndex {
            if providers.values[index].status.isRunning { running += 1 }
            if providers.values[index].isInTrouble { troubled += 1 }
            providers.formIndex(after: &index)
        }
        (runningProviders, troubledProviders) = (running, troubled)
    }
}

/// The sum of every host's `HostTally` (`LatticeState.hostTotals`).
public struct HostTotals: Sendable, Equatable {
    /// Hosts not stopped.
    public var hosts: Int32 = 0
    public var runningComponents: Int32 = 0
    public var runningProviders: Int32 = 0
    /// Providers in trouble (`ProviderRecord.isInTrouble`).
    public var troubledProviders: Int32 = 0

    public init() {}

    /// The totals of `hosts`, counted from scratch.
    public init<S: Sequence>(counting hosts: S) where S.Element == HostRecord {
        for host in hosts { add(HostTally(counting: host)) }
    }

    mutating func add(_ tally: HostTally, times sign: Int32 = 1) {
        hosts += sign * tally.notStopped
        runningComponents += sign * tally.runningComponents
        runningProviders += sign * tally.runningProviders
        troubledProviders += sign * tally.troubledProviders
    }

    /// `after`'s tally replaces `before`'s.
    mutating func replace(_ before: HostTally, with after: HostTally) {
        guard before != after else { return }
        add(before, times: -1)
        add(after)
    }
}

/// Per probe target (`HostRecord.probeTargets`), how many hosts run it: the providers latticetop
/// probes are its keys (`LatticeState.probeTargetIndex`). A value, kept out of line (copied on
/// write): one reference in the state.
public struct ProbeTargetIndex: Sendable, Equatable {
    private final class Storage: @unchecked Sendable {
        var hosts: [String: Int] = [:]
        var revision: UInt64 = 0

        init() {}

        init(copying other: Storage) {
            hosts = other.hosts
            revision = other.revision
        }
    }

    private var storage = Storage()

    public init() {}

    public var hosts: [String: Int] { storage.hosts }
    /// Moves whenever a provider becomes a probe target or stops being one (the probe schedule
    /// compares the targets only then).
    public var revision: UInt64 { storage.revision }

    public static func == (a: Self, b: Self) -> Bool {
        a.storage === b.storage || (a.storage.hosts == b.storage.hosts && a.storage.revision == b.storage.revision)
    }

    /// A host's targets went from `old` to `new`.
    mutating func replace(_ old: [String], with new: [String]) {
        guard old != new else { return }
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
        let storage = self.storage
        for id in old {
            if let count = storage.hosts[id], count > 1 {
                storage.hosts[id] = count - 1
            } else {
                storage.hosts[id] = nil
                storage.revision &+= 1
            }
        }
        for id in new {
            if let count = storage.hosts[id] {
                storage.hosts[id] = count + 1
            } else {
                storage.hosts[id] = 1
                storage.revision &+= 1
            }
        }
    }
}
