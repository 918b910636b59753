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
        // Only the hosts whose moment has come (`ClockChecks`) and those changed since the last
        // tick, which may have an earlier moment now; all of them when the journal no longer
        // knows what changed.
        var candidates: Set<String>
        if !clockChecks.everyHost, let marked = changes.hosts(since: clockChecks.revision, includingWorkloads: true) {
            candidates = marked
            candidates.formUnion(clockChecks.due(at: now))
        } else {
            candidates = Set(hosts.keys)
            _ = clockChecks.due(at: now)
        }
        // Read first, change only the hosts the clock changes: changing every host each second
        // would copy each one shared with a snapshot of the model (the view's, time travel's).
        var due: [Dictionary<String, HostRecord>.Index] = []
        for id in candidates {
            guard let i = hosts.index(forKey: id) else { continue }
            if Self.tickIsDue(for: hosts.values[i], now: now, configuration: c) { due.append(i) }
        }
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
        var removed: [HostRecord.Contribution] = []
        for id in candidates {
            guard let i = hosts.index(forKey: id) else {
                clockChecks.set(id, nil)
                continue
            }
            if Self.isKeptNoLonger(hosts.values[i], now: now, configuration: c) {
                touched.append(id)
                removed.append(hosts.values[i].contribution)
                hosts.remove(at: i)
                clockChecks.set(id, nil)
            } else {
                clockChecks.set(id, Self.nextClockMoment(for: hosts.values[i], after: now, configuration: c))
            }
        }
        for share in removed { replace(share, with: nil) }
        for id in touched where hosts.index(forKey: id) == nil { providerHosts.remove(host: id) }
        if !removed.isEmpty { recountInventoriedHosts() }
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
        // Marks of this tick's own changes are taken into account already.
        clockChecks.revision = changes.revision
    }

    /// Whether a stale or stopped host has been kept long enough.
    static func isKeptNoLonger(_ host: HostRecord, now: Date, configuration c: LatticeStateConfiguration) -> Bool {
        switch host.liveness {
        case .live: false
        case .stale(let since, _): now.timeIntervalSince(since) > c.staleHostRemovalAfter
        case .stopped: now.timeIntervalSince(host.facts.stopped?.arrival ?? host.lastSeen) > c.stoppedHostRetention
        }
    }

    /// The earliest moment after `now` (or at it) at which time alone changes `host` as the tick
    /// would (`tickIsDue`, `isKeptNoLonger`), given that it does not at `now`; nil when time alone
    /// never does. Each rule changes at one threshold (a time and a retention); one that has
    /// passed has taken effect, so it counts no more.
    static func nextClockMoment(for host: HostRecord, after now: Date, configuration c: LatticeStateConfiguration) -> Date? {
        var next: Date?
        func consider(_ moment: Date?) {
            guard let moment, moment >= now else { return }
            if next.map({ moment < $0 }) ?? true { next = moment }
        }
        switch host.liveness {
        case .live:
            consider(host.facts.lastSeen.addingTimeInterval(host.isV2 ? c.v2HostStaleAfter : c.hostStaleAfter))
        case .stale(let since, _):
            consider(since.addingTimeInterval(c.staleHostRemovalAfter))
        case .stopped:
            consider((host.facts.stopped?.arrival ?? host.lastSeen).addingTimeInterval(c.stoppedHostRetention))
        }
        let providers = host.providers.values
        for i in providers.indices { consider(providers[i].clockMoment(configuration: c)) }
        let components = host.components.values
        for i in components.indices { consider(components[i].clockMoment(configuration: c)) }
        return next
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
