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
        // knows what changed. By index (each host's ID hashed once), in storage order, each
        // once; a marked host no longer there has no moment.
        var candidates: [Dictionary<String, HostRecord>.Index] = []
        var marked: [String] = []
        if !clockChecks.everyHost,
           changes.forEachHost(since: clockChecks.revision, includingWorkloads: true, { marked.append($0) }) {
            marked += clockChecks.due(at: now)
            candidates.reserveCapacity(marked.count)
            for id in marked {
                if let i = hosts.index(forKey: id) { candidates.append(i) } else { clockChecks.set(id, nil) }
            }
            candidates.sort()
            var once: [Dictionary<String, HostRecord>.Index] = []
            once.reserveCapacity(candidates.count)
            for i in candidates where once.last != i { once.append(i) }
            candidates = once
        } else {
            candidates = Array(hosts.indices)
            _ = clockChecks.due(at: now)
        }
        // Read first, change only the hosts the clock changes: changing every host each second
        // would copy each one shared with a snapshot of the model (the view's, time travel's).
        // One pass over a host's records tells both whether the tick changes it and, when not,
        // its next moment.
        var due: [Dictionary<String, HostRecord>.Index] = []
        var kept: [String] = []
        for i in candidates {
            let (isDue, next) = Self.clockCheck(for: hosts.values[i], now: now, configuration: c)
            if isDue {
                due.append(i)
            } else if Self.isKeptNoLonger(hosts.values[i], now: now, configuration: c) {
                kept.append(hosts.keys[i])
            } else {
                clockChecks.set(hosts.keys[i], next)
            }
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
        for i in due {
            if Self.isKeptNoLonger(hosts.values[i], now: now, configuration: c) {
                kept.append(hosts.keys[i])
            } else {
                clockChecks.set(hosts.keys[i], Self.nextClockMoment(for: hosts.values[i], after: now, configuration: c))
            }
        }
        // Removed last: removing a host moves others in the table (their indices change).
        var removed: [HostRecord.Contribution] = []
        for id in kept {
            guard let i = hosts.index(forKey: id) else { continue }
            touched.append(id)
            removed.append(hosts.values[i].contribution)
            hosts.remove(at: i)
            clockChecks.set(id, nil)
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
        var next = EarliestMoment(after: now)
        next.consider(livenessMoment(of: host, configuration: c))
        let providers = host.providers.values
        for i in providers.indices { next.consider(providers[i].clockMoment(configuration: c)) }
        let components = host.components.values
        for i in components.indices { next.consider(components[i].clockMoment(configuration: c)) }
        return next.moment
    }

    /// `tickIsDue(for:now:configuration:)` and, when that is false, `nextClockMoment(for:after:
    /// configuration:)` (nil when it is true), in one pass over the host's records: the tick asks
    /// both of every host changed since the last one (all of them, during the first sync), and
    /// each look at a provider or component copies it out of its table.
    static func clockCheck(for host: HostRecord, now: Date, configuration c: LatticeStateConfiguration) -> (due: Bool, next: Date?) {
        if host.derivedLiveness(now: now, configuration: c) != host.liveness { return (true, nil) }
        var next = EarliestMoment(after: now)
        next.consider(livenessMoment(of: host, configuration: c))
        let providers = host.providers.values
        for i in providers.indices {
            let provider = providers[i]
            if provider.healthIsDue(now: now, configuration: c) || provider.isExpired(now: now, configuration: c) { return (true, nil) }
            next.consider(provider.clockMoment(configuration: c))
        }
        let components = host.components.values
        for i in components.indices {
            let component = components[i]
            if component.isExpired(now: now, configuration: c) { return (true, nil) }
            next.consider(component.clockMoment(configuration: c))
        }
        return (false, next.moment)
    }

    /// When time alone changes the host's own liveness: live, it turns stale; stale or stopped,
    /// it is kept no longer.
    private static func livenessMoment(of host: HostRecord, configuration c: LatticeStateConfiguration) -> Date {
        switch host.liveness {
        case .live: host.facts.lastSeen.addingTimeInterval(host.isV2 ? c.v2HostStaleAfter : c.hostStaleAfter)
        case .stale(let since, _): since.addingTimeInterval(c.staleHostRemovalAfter)
        case .stopped: (host.facts.stopped?.arrival ?? host.lastSeen).addingTimeInterval(c.stoppedHostRetention)
        }
    }

    /// The earliest of the moments considered that are not before `now`.
    private struct EarliestMoment {
        let now: Date
        var moment: Date?
        init(after now: Date) { self.now = now }
        mutating func consider(_ candidate: Date?) {
            guard let candidate, candidate >= now else { return }
            if moment.map({ candidate < $0 }) ?? true { moment = candidate }
        }
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
