import Foundation

/// What moves with the clock: host liveness, provider health staleness, and removal of what
/// has been gone for long enough.
extension LatticeState {
    mutating func applyTick() {
        let now = self.now
        let c = configuration
        var touched: [String] = []
        /// Hosts whose stopped providers were removed, with the providers they keep.
        var providersLeft: [(String, [String])] = []
        // Read first, change only the hosts the clock changes: changing every host each second
        // would copy each one shared with a snapshot of the model (the view's, time travel's).
        var due: [Dictionary<String, HostRecord>.Index] = []
        for i in hosts.values.indices where Self.tickIsDue(for: hosts.values[i], now: now, configuration: c) { due.append(i) }
        for i in due {
            let id = hosts.keys[i]
            changeHost(at: i) { host in
                var changed = host.refreshLiveness(now: now, configuration: c, at: now)
                host.providers.mutateEachValue { _, provider in
                    if provider.refreshHealth(now: now, configuration: c, at: now) { changed = true }
                }
                let counts = (host.providers.count, host.components.count)
                host.providers.removeAll { _, provider in provider.isExpired(now: now, configuration: c) }
                host.components.removeAll { _, component in component.isExpired(now: now, configuration: c) }
                if changed || counts != (host.providers.count, host.components.count) { touched.append(id) }
                if counts.0 != host.providers.count { providersLeft.append((id, Array(host.providers.keys))) }
            }
        }
        for (id, providers) in providersLeft { providerHosts.update(host: id, providers: providers) }
        let hostCount = hosts.count
        var removed: [HostRecord.Contribution] = []
        hosts.removeAll { id, host in
            let remove: Bool
            switch host.liveness {
            case .live: remove = false
            case .stale(let since, _): remove = now.timeIntervalSince(since) > c.staleHostRemovalAfter
            case .stopped: remove = now.timeIntervalSince(host.facts.stopped?.arrival ?? host.lastSeen) > c.stoppedHostRetention
            }
            if remove {
                touched.append(id)
                removed.append(host.contribution)
            }
            return remove
        }
        for share in removed { replace(share, with: nil) }
        for id in touched where hosts.index(forKey: id) == nil { providerHosts.remove(host: id) }
        if hosts.count != hostCount { recountInventoriedHosts() }
        stoppedHostIDs.removeAll { id, arrival in
            hosts[id] == nil && now.timeIntervalSince(arrival) > c.tombstoneRetention
        }
        var removedLinks: [LinkKey] = []
        links.removeAll { key, link in
            guard !link.isPresent else { return false }
            let age = now.timeIntervalSince(link.facts.lastTouched)
            let remove = link.refusal != nil ? age > c.refusedLinkRetention : age > c.tombstoneRetention
            if remove { removedLinks.append(key) }
            return remove
        }
        for key in removedLinks { changes.mark(.link(key)) }
        linkBaseDeletes.removeAll { _, tombstone in now.timeIntervalSince(tombstone.arrival) > c.tombstoneRetention }
        configs.removeAll { _, config in !config.exists && now.timeIntervalSince(config.facts.lastTouched) > c.tombstoneRetention }
        applications.removeAll { _, app in !app.exists && now.timeIntervalSince(app.facts.lastTouched) > c.tombstoneRetention }
        touched += triage.prune(before: now.addingTimeInterval(-c.triageWindow))
        for id in touched { changes.mark(.host(id)) }
    }

    /// Whether the clock at `now` changes `host`: its liveness, a provider's health, or a
    /// record kept past its retention.
    static func tickIsDue(for host: HostRecord, now: Date, configuration c: LatticeStateConfiguration) -> Bool {
        if host.derivedLiveness(now: now, configuration: c) != host.liveness { return true }
        let providers = host.providers.values
        for i in providers.indices {
            if providers[i].healthIsDue(now: now, configuration: c) || providers[i].isExpired(now: now, configuration: c) { return true }
        }
        let components = host.components.values
        for i in components.indices where components[i].isExpired(now: now, configuration: c) { return true }
        return false
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
