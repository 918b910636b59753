import Foundation
import LatticeProtocol

/// Folding inventories and component/provider events into one host's records.
extension HostRecord {
    /// Whether the host's components and providers can still change (not after `host_stopped`).
    var acceptsWorkloadFacts: Bool { facts.stopped == nil }

    /// An authoritative inventory (`host_heartbeat` or `host.get`): lists what runs as of
    /// `stamp`, and so also what does not.
    mutating func applyInventory(_ inventory: HostInventory, stamp: Stamp, at: Date, context: RefreshContext) {
        let isLatest = facts.inventory.keepLatest(Stamped(stamp: stamp, value: inventory, arrival: at))
        refreshInfo(at: at)
        guard acceptsWorkloadFacts else { return }
        if isLatest {
            facts.inventoryComponentIDs = Set(inventory.components.map(\.id))
            facts.inventoryProviderIDs = Set(inventory.providers.map(\.id))
        }
        let hostID = id
        for component in inventory.components {
            components[component.id, default: ComponentRecord(id: component.id, hostID: hostID, at: at)]
                .facts.inventory.keepLatest(Stamped(stamp: stamp, value: component, arrival: at))
            components[component.id]!.facts.touch(at)
            if !isLatest { refreshComponent(component.id, at: at) }
        }
        for provider in inventory.providers {
            providers[provider.id, default: ProviderRecord(id: provider.id, hostID: hostID, at: at)]
                .facts.inventory.keepLatest(Stamped(stamp: stamp, value: provider, arrival: at))
            providers[provider.id]!.facts.touch(at)
            if !isLatest { refreshProvider(provider.id, context: context, at: at) }
        }
        if isLatest {
            let facts = self.facts
            components.mutateEachValue { id, component in
                component.refresh(absence: facts.absence(ofComponent: id), at: at)
            }
            providers.mutateEachValue { id, provider in
                provider.refresh(absence: facts.absence(ofProvider: id), now: context.now,
                                 configuration: context.configuration, at: at)
            }
        }
    }

    mutating func applyScaled(_ event: ComponentScaledEvent, stamp: Stamp, at: Date) {
        updateComponent(event.componentID, at: at) {
            $0.facts.scaled.keepLatest(Stamped(stamp: stamp, value: event, arrival: at))
        }
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
    mutating func applyHealth(providerID: String, verdict: Bool?, stamp: Stamp, at: Date, context: RefreshContext) {
        updateProvider(providerID, at: at, context: context) {
            $0.facts.report.keepLatest(Stamped(stamp: stamp, value: verdict, arrival: at))
            if let verdict {
                $0.facts.verdict.keepLatest(Stamped(stamp: stamp, value: verdict, arrival: at))
                $0.record(ProviderHistoryEntry(stamp: stamp, kind: verdict ? .healthPassed : .healthFailed),
                          capacity: context.configuration.providerHistoryCapacity)
            }
        }
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

    private mutating func updateComponent(_ componentID: String, at: Date, _ body: (inout ComponentRecord) -> Void) {
        guard acceptsWorkloadFacts else { return }
        let hostID = id
        body(&components[componentID, default: ComponentRecord(id: componentID, hostID: hostID, at: at)])
        components[componentID]!.facts.touch(at)
        refreshComponent(componentID, at: at)
    }

    private mutating func updateProvider(_ providerID: String, at: Date, context: RefreshContext, _ body: (inout ProviderRecord) -> Void) {
        guard acceptsWorkloadFacts else { return }
        let hostID = id
        body(&providers[providerID, default: ProviderRecord(id: providerID, hostID: hostID, at: at)])
        providers[providerID]!.facts.touch(at)
        refreshProvider(providerID, context: context, at: at)
    }

    private mutating func refreshComponent(_ componentID: String, at: Date) {
        let absence = facts.absence(ofComponent: componentID)
        components[componentID]?.refresh(absence: absence, at: at)
    }

    private mutating func refreshProvider(_ providerID: String, context: RefreshContext, at: Date) {
        let absence = facts.absence(ofProvider: providerID)
        providers[providerID]?.refresh(absence: absence, now: context.now, configuration: context.configuration, at: at)
    }
}
