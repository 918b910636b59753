import Foundation
import LatticeProtocol

/// Folding lattice CloudEvents into the model.
extension LatticeState {
    /// `recorded`: replayed history, whose debug-level lines (heartbeats, health repeats) are
    /// not listed in the event log (an hour of them would push out everything else).
    mutating func applyEvent(_ event: LatticeEvent, at: Date, recorded: Bool = false) {
        let rank = event.payload.rank
        guard duplicates.isNew(id: event.id, type: rank) else {
            counters.duplicates += 1
            return
        }
        counters.events += 1
        if case .unknown(let type, _) = event.payload {
            counters.unknownEventTypes[type, default: 0] += 1
        } else {
            counters.countsByRank[Int(rank)] += 1
        }
        lastUpdate[.events] = at
        let stamp = Stamp(time: event.date ?? at, tiebreak: event.id, rank: rank)
        var repeated = false
        // A heartbeat that changes nothing shown marks nothing (`updateHost(_:at:signOfLife:_:)`).
        if triage.apply(event, time: stamp.time, silentAfter: configuration.providerHealthStaleAfter), let hostID = event.hostID {
            changes.mark(.workloads(hostID))
        }

        switch event.payload {
        case .linkdefSet(let link):
            applyLinkSet(link, stamp: stamp, at: at)
        case .linkdefSetFailed(let failed):
            applyLinkSetFailed(failed, stamp: stamp, at: at)
        case .linkdefDeleted(let deleted):
            applyLinkDeleted(deleted, stamp: stamp, at: at)
        case .configSet(let config):
            updateConfig(config.configName, at: at) { $0.set = Stamp.latest($0.set, stamp) }
        case .configDeleted(let config):
            updateConfig(config.configName, at: at) { $0.deleted = Stamp.latest($0.deleted, stamp) }
        case .manifestPublished(let published):
            if let name = published.name {
                updateApplication(name, at: at) {
                    $0.published.keepLatest(Stamped(stamp: stamp, value: PublishedManifest(version: published.version), arrival: at))
                }
            }
        case .manifestUnpublished(let unpublished):
            updateApplication(unpublished.name, at: at) { $0.unpublished = Stamp.latest($0.unpublished, stamp) }
        case .unknown:
            break
        default:
            repeated = applyHostEvent(event, stamp: stamp, at: at)
        }

        // Link and config events come from a host too: it exists and was alive. (Only noting
        // this for hosts already known would depend on which event came first.)
        if !event.payload.isHostScoped, let type = event.knownType, !type.isWadmEvent {
            updateHost(event.source, at: at, signOfLife: true) { _ in .nothing }
        }
        var entry = EventLogEntry(event: event, time: stamp.time, receivedAt: at)
        if repeated {
            // Counted as received, but shown as the echo it is (one start, one line at info).
            entry.summary += " (repeated)"
            entry.severity = .debug
        }
        if recorded && entry.severity == .debug { return }
        log(entry)
    }

    /// Progress of the history replay; its end is where live begins, a line in the event log.
    mutating func applyHistory(_ progress: HistoryProgress, at: Date) {
        let wasFinished = history.progress?.isFinished ?? false
        history.progress = progress
        guard progress.isFinished, !wasFinished else { return }
        history.liveSince = at
        let detail: String
        switch progress {
        case .loaded(let stream, _, let events, _): detail = "\(events) recorded event\(events == 1 ? "" : "s") before it, from \(stream)"
        case .unavailable(let reason): detail = "no history: \(reason)"
        case .failed(_, let message, let loaded): detail = "history incomplete (\(loaded) events before it): \(message)"
        case .loading: detail = ""
        }
        log(EventLogEntry(time: at, receivedAt: at, hostID: nil, kind: Self.liveMarkerKind,
                          summary: "\(Self.liveMarker)  \(detail)", severity: .info))
    }

    /// Whether a provider's incidents come thick enough to call it flapping (at least
    /// `flappingIncidents` beginning within `flappingSpan`).
    public func isFlapping(_ record: ProviderTriageRecord) -> Bool {
        record.densest(span: configuration.flappingSpan) >= configuration.flappingIncidents
    }

    /// The event log's kind and text for the line where live events begin.
    public static let liveMarkerKind = "live"
    public static let liveMarker = "—— dashboard started ——"


    /// An event about one host's own state (`data.host_id`, else the publishing host). Returns
    /// whether it only repeats the previous event about the same thing.
    private mutating func applyHostEvent(_ event: LatticeEvent, stamp: Stamp, at: Date) -> Bool {
        guard let hostID = event.hostID else { return false }
        var repeated = false
        let context = refreshContext
        updateHost(hostID, at: at, signOfLife: event.source == hostID) { host in
            switch event.payload {
            case .hostStarted(let started):
                host.facts.started.keepLatest(Stamped(stamp: stamp, value: started, arrival: at))
                host.refreshInfo(at: at)
            case .hostStopped(let stopped):
                host.applyStopped(stopped, stamp: stamp, at: at)
            case .hostHeartbeat(let inventory):
                if host.lastHeartbeatAt.map({ at > $0 }) ?? true { host.lastHeartbeatAt = at }
                return host.applyInventory(inventory, stamp: stamp, at: at, context: context) ? .everything : .nothing
            case .labelsChanged(let changed):
                host.facts.labelsChanged.keepLatest(Stamped(stamp: stamp, value: changed.labels, arrival: at))
                host.refreshInfo(at: at)
            case .componentScaled(let scaled):
                repeated = host.applyScaled(scaled, stamp: stamp, at: at)
            case .componentScaleFailed(let failed):
                host.applyScaleFailed(failed, stamp: stamp, at: at)
            case .providerStarted(let started):
                host.applyProviderStarted(started, stamp: stamp, at: at, context: context)
            case .providerStartFailed(let failed):
                host.applyProviderStartFailed(failed, stamp: stamp, at: at, context: context)
            case .providerStopped(let stopped):
                host.applyProviderStopped(stopped, stamp: stamp, at: at, context: context)
            case .healthCheckPassed(let health):
                return host.applyHealth(providerID: health.providerID, verdict: true, stamp: stamp, at: at, context: context) ? .workloads : .nothing
            case .healthCheckFailed(let health):
                return host.applyHealth(providerID: health.providerID, verdict: false, stamp: stamp, at: at, context: context) ? .workloads : .nothing
            case .healthCheckStatus(let health):
                return host.applyHealth(providerID: health.providerID, verdict: nil, stamp: stamp, at: at, context: context) ? .workloads : .nothing
            default:
                break
            }
            return .everything
        }
        if case .hostStopped = event.payload, stoppedHostIDs.index(forKey: hostID) == nil { stoppedHostIDs[hostID] = at }
        lastUpdate[.hosts] = at
        return repeated
    }

    /// A sync's `host.get` reply.
    mutating func applyInventory(_ inventory: HostInventory, stamp: Stamp, at: Date) {
        let context = refreshContext
        updateHost(inventory.hostID, at: at, signOfLife: true) { host in
            host.applyInventory(inventory, stamp: stamp, at: at, context: context) ? .everything : .nothing
        }
        lastUpdate[.hosts] = at
    }

    mutating func log(_ entry: EventLogEntry) {
        eventLog.append(entry)
    }
}
