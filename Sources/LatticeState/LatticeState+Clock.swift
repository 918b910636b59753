import Foundation

/// What moves with the clock: host liveness, provider health staleness, and removal of what
/// has been gone for long enough.
extension LatticeState {
    mutating func applyTick() {
        let now = self.now
        let c = configuration
        hosts.mutateEachValue { _, host in
            host.refreshLiveness(now: now, configuration: c, at: now)
            host.providers.mutateEachValue { _, provider in
                provider.refreshHealth(now: now, configuration: c, at: now)
            }
            host.providers.removeAll { _, provider in
                !provider.status.isRunning && now.timeIntervalSince(provider.facts.lastTouched) > c.stoppedProviderRetention
            }
            host.components.removeAll { _, component in
                switch component.status {
                case .running: return false
                case .scaleFailed: return now.timeIntervalSince(component.facts.lastTouched) > c.failedComponentRetention
                case .removed: return now.timeIntervalSince(component.facts.lastTouched) > c.tombstoneRetention
                }
            }
        }
        let hostCount = hosts.count
        hosts.removeAll { _, host in
            switch host.liveness {
            case .live: return false
            case .stale(let since, _): return now.timeIntervalSince(since) > c.staleHostRemovalAfter
            case .stopped: return now.timeIntervalSince(host.facts.stopped?.arrival ?? host.lastSeen) > c.stoppedHostRetention
            }
        }
        if hosts.count != hostCount { recountInventoriedHosts() }
        stoppedHostIDs.removeAll { id, arrival in
            hosts[id] == nil && now.timeIntervalSince(arrival) > c.tombstoneRetention
        }
        links.removeAll { _, link in
            guard !link.isPresent else { return false }
            let age = now.timeIntervalSince(link.facts.lastTouched)
            return link.refusal != nil ? age > c.refusedLinkRetention : age > c.tombstoneRetention
        }
        linkBaseDeletes.removeAll { _, tombstone in now.timeIntervalSince(tombstone.arrival) > c.tombstoneRetention }
        configs.removeAll { _, config in !config.exists && now.timeIntervalSince(config.facts.lastTouched) > c.tombstoneRetention }
        applications.removeAll { _, app in !app.exists && now.timeIntervalSince(app.facts.lastTouched) > c.tombstoneRetention }
        triage.prune(before: now.addingTimeInterval(-c.triageWindow))
    }

    /// Seconds since the latest data of a kind arrived (`nil`: none yet), for "data is N s old"
    /// banners when the connection is down.
    public func dataAge(_ kind: LatticeDataKind) -> TimeInterval? {
        lastUpdate[kind].map { now.timeIntervalSince($0) }
    }

    /// Seconds since the last complete sync (`nil`: none yet).
    public var timeSinceLastCompleteSync: TimeInterval? {
        sync.lastCompleteAt.map { now.timeIntervalSince($0) }
    }

    /// Whether a row changed within `window` seconds (for highlighting changed cells).
    public func isRecent(_ changedAt: Date, within window: TimeInterval = 3) -> Bool {
        now.timeIntervalSince(changedAt) <= window
    }
}
