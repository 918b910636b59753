import Foundation
import LatticeProtocol

/// Folding inventories and component/provider events into one host's records.
extension HostRecord {
    /// Whether the host's components and providers can still change (not after `host_stopped`).
    var acceptsWorkloadFacts: Bool { facts.stopped == nil }

    /// An authoritative inventory (`host_heartbeat` or `host.get`): lists what runs as of
    /// `stamp`, and so also what does not.
    /// Returns whether it may have changed what views show (`LatticeState.updateHost(_:at:signOfLife:_:)`):
    /// false when it only repeats what is known.
    @discardableResult
    mutating func applyInventory(_ inventory: HostInventory, stamp: Stamp, at: Date, context: RefreshContext) -> Bool {
        let previous = facts.inventory?.value
        let isLatest = facts.inventory.keepLatest(Stamped(stamp: stamp, value: inventory, arrival: at))
        var shown = refreshInfo(at: at)
        guard acceptsWorkloadFacts else { return shown }
        if isLatest {
            if !Self.sameIDs(previous?.components, inventory.components, facts.inventoryComponentIDs, id: \.id) {
                facts.inventoryComponentIDs = Set(inventory.components.map(\.id))
            }
            if !Self.sameIDs(previous?.providers, inventory.providers, facts.inventoryProviderIDs, id: \.id) {
                facts.inventoryProviderIDs = Set(inventory.providers.map(\.id))
            }
        }
        // Listed records: fold the listing in and derive (absence: none when this is the latest
        // inventory, which lists them). A heartbeat repeating what is known derives nothing.
        let hostID = id
        for component in inventory.components {
            let absence = isLatest ? nil : facts.absence(ofComponent: component.id)
            func update(_ record: inout ComponentRecord) {
                record.facts.touch(at)
                if isLatest, record.isUnchanged(byInventoryListing: component) {
                    record.facts.inventory!.stamp = stamp
                    record.facts.inventory!.arrival = at
                    return
                }
                shown = true
                record.facts.inventory.keepLatest(Stamped(stamp: stamp, value: component, arrival: at))
                record.refresh(absence: absence, at: at)
            }
            update(&components[component.id, default: ComponentRecord(id: component.id, hostID: hostID, at: at)])
        }
        for provider in inventory.providers {
            let absence = isLatest ? nil : facts.absence(ofProvider: provider.id)
            func update(_ record: inout ProviderRecord) {
                record.facts.touch(at)
                if isLatest, record.isUnchanged(byInventoryListing: provider) {
                    record.facts.inventory!.stamp = stamp
                    record.facts.inventory!.arrival = at
                    return
                }
                shown = true
                record.facts.inventory.keepLatest(Stamped(stamp: stamp, value: provider, arrival: at))
                record.refresh(absence: absence, now: context.now, configuration: context.configuration, at: at)
            }
            update(&providers[provider.id, default: ProviderRecord(id: provider.id, hostID: hostID, at: at)])
        }
        // Records the latest inventory does not list are absent as of its stamp (one already
        // gone, a tombstone kept for an hour, usually stays as it is).
        guard isLatest else { return shown }
        if components.count > facts.inventoryComponentIDs.count {
            let listed = facts.inventoryComponentIDs
            components.mutateEachValue { id, component in
                guard !listed.contains(id) else { return }
                let before = component
                component.refresh(absence: stamp, at: at)
                if component != before { shown = true }
            }
        }
        if providers.count > facts.inventoryProviderIDs.count {
            let listed = facts.inventoryProviderIDs
            providers.mutateEachValue { id, provider in
                guard !listed.contains(id) else { return }
                let before = provider
                provider.refresh(absence: stamp, now: context.now, configuration: context.configuration, at: at)
                if provider != before { shown = true }
            }
        }
        return shown
    }

    /// Whether `new` lists the same IDs as `set` (built from `old`): cheap when the list is
    /// the same as last time, in the same order.
    private static func sameIDs<T>(_ old: [T]?, _ new: [T], _ set: Set<String>, id: (T) -> String) -> Bool {
        if let old, old.count == new.count, old.count == set.count, zip(old, new).allSatisfy({ id($0) == id($1) }) {
            return true
        }
        return sameIDs(new.lazy.map(id), set)
    }

    private static func sameIDs<S: Sequence>(_ ids: S, _ set: Set<String>) -> Bool where S.Element == String {
        var count = 0
        for id in ids {
            guard set.contains(id) else { return false }
            count += 1
        }
        return count == set.count
    }

    /// Returns whether the event only repeats the one before it (a 1.6+ fresh start's second
    /// `component_scaled`).
    @discardableResult
    mutating func applyScaled(_ event: ComponentScaledEvent, stamp: Stamp, at: Date) -> Bool {
        var repeated = false
        updateComponent(event.componentID, at: at) {
            let fact = Stamped(stamp: stamp, value: event, arrival: at)
            repeated = $0.facts.noteScaled(fact)
            $0.facts.scaled.keepLatest(fact)
        }
        return repeated
    }

    mutating func applyScaleFailed(_ event: ComponentScaleFailedEvent, stamp: Stamp, at: Date) {
        updateComponent(event.componentID, at: at) {
            $0.facts.failure.keepLatest(Stamped(stamp: stamp, value: event, arrival: at))
        }
    }

    mutating func applyProviderStarted(_ event: ProviderStartedEvent, stamp: Stamp, at: Date, context: RefreshContext) {
        updateProvider(event.providerID, at: at, context: context) {
            $0.facts.started.keepLatest(Stamped(stamp: stamp, value: event, arrival: at))
            $0.record(ProviderHistoryEntry(stamp: stamp, kind: .started(imageRef: event.imageRef)),
                      capacity: context.configuration.providerHistoryCapacity)
        }
    }

    mutating func applyProviderStartFailed(_ event: ProviderStartFailedEvent, stamp: Stamp, at: Date, context: RefreshContext) {
        updateProvider(event.providerID, at: at, context: context) {
            $0.facts.startFailure.keepLatest(Stamped(stamp: stamp, value: event, arrival: at))
            $0.record(ProviderHistoryEntry(stamp: stamp, kind: .startFailed(error: event.error)),
                      capacity: context.configuration.providerHistoryCapacity)
        }
    }

    mutating func applyProviderStopped(_ event: ProviderStoppedEvent, stamp: Stamp, at: Date, context: RefreshContext) {
        updateProvider(event.providerID, at: at, context: context) {
            $0.facts.stopped.keepLatest(Stamped(stamp: stamp, value: event, arrival: at))
            $0.record(ProviderHistoryEntry(stamp: stamp, kind: .stopped(reason: event.reason)),
                      capacity: context.configuration.providerHistoryCapacity)
        }
    }

    /// `verdict`: true for `health_check_passed`, false for `_failed`, nil for `_status`.
    /// Returns whether the provider shows differently (`ProviderRecord.showsSame`): a status
    /// report repeating what is known (every 30 s, for every provider) changes only facts.
    @discardableResult
    mutating func applyHealth(providerID: String, verdict: Bool?, stamp: Stamp, at: Date, context: RefreshContext) -> Bool {
        let before = providers.index(forKey: providerID).map { providers.values[$0] }
        updateProvider(providerID, at: at, context: context, includingDescription: false) {
            $0.facts.report.keepLatest(Stamped(stamp: stamp, value: verdict, arrival: at))
            if let verdict {
                $0.facts.noteVerdict(verdict, stamp: stamp, source: .hostEvent)
                $0.record(ProviderHistoryEntry(stamp: stamp, kind: verdict ? .healthPassed : .healthFailed),
                          capacity: context.configuration.providerHistoryCapacity)
            }
        }
        guard let before, let index = providers.index(forKey: providerID) else { return true }
        return !providers.values[index].showsSame(as: before)
    }

    /// latticetop's probe of a provider this host runs (a probe goes to the provider ID, so every
    /// host running it gets the answer). Returns whether the answer starts a new spell (a change of
    /// kind, or the first answer since its start); nil when the host does not know the provider.
    /// `shown`: whether the provider shows differently (`ProviderRecord.showsSame`; an answer
    /// repeating the last changes only facts).
    mutating func applyProbe(providerID: String, outcome: ProbeOutcome, stamp: Stamp, at: Date,
                             context: RefreshContext) -> (newSpell: Bool, shown: Bool)? {
        guard acceptsWorkloadFacts, let index = providers.index(forKey: providerID) else { return nil }
        let absence = facts.absence(ofProvider: providerID)
        let before = providers.values[index]
        var changed = false
        func update(_ record: inout ProviderRecord) {
            changed = record.facts.noteProbe(outcome, stamp: stamp, at: at, after: record.facts.started?.stamp)
            if changed {
                record.record(ProviderHistoryEntry(stamp: stamp, kind: .probed(outcome)),
                              capacity: context.configuration.providerHistoryCapacity)
            }
            record.facts.touch(at)
            record.refresh(absence: absence, now: context.now, configuration: context.configuration, at: at,
                           includingDescription: false)
        }
        update(&providers.values[index])
        return (changed, !providers.values[index].showsSame(as: before))
    }

    /// Everything stops with the host.
    mutating func applyStopped(_ event: HostStoppedEvent, stamp: Stamp, at: Date) {
        facts.stopped.keepLatest(Stamped(stamp: stamp, value: event, arrival: at))
        if !components.isEmpty || !providers.isEmpty {
            components.removeAll()
            providers.removeAll()
            changedAt = at
        }
        refreshInfo(at: at)
    }

    // MARK: - Records

    /// One dictionary access per fact: create if needed, fold in, derive.
    private mutating func updateComponent(_ componentID: String, at: Date, _ body: (inout ComponentRecord) -> Void) {
        guard acceptsWorkloadFacts else { return }
        let hostID = id
        let absence = facts.absence(ofComponent: componentID)
        func update(_ record: inout ComponentRecord) {
            body(&record)
            record.facts.touch(at)
            record.refresh(absence: absence, at: at)
        }
        update(&components[componentID, default: ComponentRecord(id: componentID, hostID: hostID, at: at)])
    }

    private mutating func updateProvider(_ providerID: String, at: Date, context: RefreshContext, includingDescription: Bool = true,
                                         _ body: (inout ProviderRecord) -> Void) {
        guard acceptsWorkloadFacts else { return }
        let hostID = id
        let absence = facts.absence(ofProvider: providerID)
        func update(_ record: inout ProviderRecord) {
            body(&record)
            record.facts.touch(at)
            record.refresh(absence: absence, now: context.now, configuration: context.configuration, at: at,
                           includingDescription: includingDescription)
        }
        update(&providers[providerID, default: ProviderRecord(id: providerID, hostID: hostID, at: at)])
    }
}
