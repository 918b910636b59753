import Foundation
import LatticeProtocol

/// Folding lattice CloudEvents into the model.
extension LatticeState {
    mutating func applyEvent(_ event: LatticeEvent, at: Date) {
        let rank = event.payload.rank
        guard duplicates.isNew(id: event.id, type: rank) else {
            counters.duplicates += 1
            return
        }
        let type = event.knownType?.shortName ?? event.type
        counters.events += 1
        counters.eventsByType[type, default: 0] += 1
        lastUpdate[.events] = at
        let stamp = Stamp(time: event.date ?? at, tiebreak: event.id, rank: rank)
        let context = refreshContext

        switch event.payload {
        case .hostStarted(let started):
            withHost(event.source, at: at) {
                $0.facts.started.keepLatest(Stamped(stamp: stamp, value: started, arrival: at))
                $0.refreshInfo(at: at)
            }
            lastUpdate[.hosts] = at
        case .hostStopped(let stopped):
            withHost(event.source, at: at) { $0.applyStopped(stopped, stamp: stamp, at: at) }
            if !event.source.isEmpty, stoppedHostIDs[event.source] == nil { stoppedHostIDs[event.source] = at }
            lastUpdate[.hosts] = at
        case .hostHeartbeat(let inventory):
            applyInventory(inventory, stamp: stamp, at: at, isHeartbeat: true)
        case .labelsChanged(let changed):
            withHost(changed.hostID, at: at) {
                $0.facts.labelsChanged.keepLatest(Stamped(stamp: stamp, value: changed.labels, arrival: at))
                $0.refreshInfo(at: at)
            }
            lastUpdate[.hosts] = at
        case .componentScaled(let scaled):
            withHost(scaled.hostID, at: at) { $0.applyScaled(scaled, stamp: stamp, at: at) }
            lastUpdate[.hosts] = at
        case .componentScaleFailed(let failed):
            withHost(failed.hostID, at: at) { $0.applyScaleFailed(failed, stamp: stamp, at: at) }
            lastUpdate[.hosts] = at
        case .providerStarted(let started):
            withHost(started.hostID, at: at) { $0.applyProviderStarted(started, stamp: stamp, at: at, context: context) }
            lastUpdate[.hosts] = at
        case .providerStartFailed(let failed):
            withHost(failed.hostID, at: at) { $0.applyProviderStartFailed(failed, stamp: stamp, at: at, context: context) }
            lastUpdate[.hosts] = at
        case .providerStopped(let stopped):
            withHost(stopped.hostID, at: at) { $0.applyProviderStopped(stopped, stamp: stamp, at: at, context: context) }
            lastUpdate[.hosts] = at
        case .healthCheckPassed(let health):
            withHost(health.hostID, at: at) { $0.applyHealth(providerID: health.providerID, verdict: true, stamp: stamp, at: at, context: context) }
            lastUpdate[.hosts] = at
        case .healthCheckFailed(let health):
            withHost(health.hostID, at: at) { $0.applyHealth(providerID: health.providerID, verdict: false, stamp: stamp, at: at, context: context) }
            lastUpdate[.hosts] = at
        case .healthCheckStatus(let health):
            withHost(health.hostID, at: at) { $0.applyHealth(providerID: health.providerID, verdict: nil, stamp: stamp, at: at, context: context) }
            lastUpdate[.hosts] = at
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
        case .unknown(let type, _):
            counters.unknownEventTypes[type, default: 0] += 1
        }

        if event.knownType?.isWadmEvent != true, hosts[event.source] != nil {
            hosts[event.source]!.noteSignOfLife(at: at)
            hosts[event.source]!.refreshLiveness(now: now, configuration: configuration, at: at)
        }
        let line = event.logLine
        log(EventLogEntry(time: stamp.time, receivedAt: at, hostID: event.hostID, kind: type,
                          summary: line.summary, severity: line.severity))
    }

    /// A heartbeat or a sync's `host.get` reply.
    mutating func applyInventory(_ inventory: HostInventory, stamp: Stamp, at: Date, isHeartbeat: Bool) {
        let context = refreshContext
        withHost(inventory.hostID, at: at) { host in
            host.applyInventory(inventory, stamp: stamp, at: at, context: context)
            host.noteSignOfLife(at: at)
            if isHeartbeat, host.lastHeartbeatAt.map({ at > $0 }) ?? true { host.lastHeartbeatAt = at }
            host.refreshLiveness(now: context.now, configuration: context.configuration, at: at)
        }
        lastUpdate[.hosts] = at
    }

    mutating func log(_ entry: EventLogEntry) {
        eventLog.append(entry)
    }
}

extension LatticeEventPayload {
    /// A small number per event type: the last tie-break between facts with the same time and
    /// ID. `health_check_failed` ranks above `_passed`, so at a tie the pessimistic one wins.
    var rank: UInt8 {
        switch self {
        case .hostStarted: return 1
        case .hostStopped: return 2
        case .hostHeartbeat: return 3
        case .labelsChanged: return 4
        case .componentScaled: return 5
        case .componentScaleFailed: return 6
        case .providerStarted: return 7
        case .providerStartFailed: return 8
        case .providerStopped: return 9
        case .healthCheckPassed: return 10
        case .healthCheckStatus: return 11
        case .healthCheckFailed: return 12
        case .linkdefSet: return 13
        case .linkdefSetFailed: return 14
        case .linkdefDeleted: return 15
        case .configSet: return 16
        case .configDeleted: return 17
        case .manifestPublished: return 18
        case .manifestUnpublished: return 19
        case .unknown: return 20
        }
    }
}
