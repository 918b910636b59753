import Foundation
import LatticeProtocol

/// The results of a control-interface sync.
extension LatticeState {
    mutating func applySyncStarted(id: Int, at: Date) {
        sync.runningID = id
        sync.lastStartedAt = at
        sync.startedAt[id] = at
        if sync.startedAt.count > 8, let oldest = sync.startedAt.keys.min() { sync.startedAt[oldest] = nil }
        log(EventLogEntry(time: at, receivedAt: at, hostID: nil, kind: "sync", summary: "sync \(id) started", severity: .debug))
    }

    mutating func applyPing(_ info: HostInfo, syncID: Int, at: Date) {
        let stamp = Stamp(time: at, tiebreak: "~sync \(syncID) ping")
        updateHost(info.id, at: at, signOfLife: true) { host in
            host.facts.ping.keepLatest(Stamped(stamp: stamp, value: Self.sharing(info, with: host), arrival: at))
            return host.refreshInfo(at: at) ? .everything : .nothing
        }
        lastUpdate[.hosts] = at
    }

    /// `info` with what it repeats of the host's record and inventory (its ID, labels and name)
    /// taken from them, equal values: each resync decodes 10,000 pings afresh, and the kept one
    /// would otherwise hold its own copy of every host's ID and labels.
    static func sharing(_ info: HostInfo, with host: HostRecord) -> HostInfo {
        var info = info
        if info.id == host.id { info.id = host.id }
        if let inventory = host.facts.inventory?.value {
            if inventory.labels == info.labels { info.labels = inventory.labels }
            if inventory.friendlyName == info.friendlyName { info.friendlyName = inventory.friendlyName }
        }
        return info
    }

    /// After a complete sync, a 1.x host that did not answer its ping and has not been heard
    /// from since the sync started is stale ("did not answer ping"). Nothing is removed or
    /// marked stopped for not answering; an incomplete sync proves nothing.
    mutating func applySyncFinished(id: Int, hostsAnswered: Set<String>, complete: Bool, at: Date) {
        if sync.runningID == id { sync.runningID = nil }
        sync.lastFinishedAt = at
        if sync.firstFinishedAt == nil { sync.firstFinishedAt = at }
        let started = sync.startedAt[id]
        if complete {
            sync.lastCompleteAt = at
            sync.lastHostsAnswered = hostsAnswered.count
            if let started {
                let context = refreshContext
                var touched: [String] = []
                var totals = hostTotals
                hosts.mutateEachValue { hostID, host in
                    guard !hostsAnswered.contains(hostID), !host.isV2, host.facts.lastSeen < started else { return }
                    let tally = host.tally
                    if host.facts.missedPingAt.map({ $0 < started }) ?? true { host.facts.missedPingAt = started }
                    host.refreshLiveness(now: context.now, configuration: context.configuration, at: at)
                    totals.replace(tally, with: host.tally)
                    touched.append(hostID)
                }
                hostTotals = totals
                for id in touched { changes.mark(.host(id)) }
            }
        }
        let summary = complete
            ? "sync \(id) finished: \(hostsAnswered.count) host(s) answered"
            : "sync \(id) cut short: \(hostsAnswered.count) host(s) answered; absent hosts not judged"
        log(EventLogEntry(time: at, receivedAt: at, hostID: nil, kind: "sync", summary: summary, severity: complete ? .info : .warning))
    }

    /// The sync step that lists the links (`LatticeInput.syncFailed`'s `step`).
    public static let linkListingStep = "link.get"

    mutating func applySyncFailed(step: String, message: String, at: Date) {
        counters.syncFailures += 1
        let failure = SyncFailure(step: step, message: message, at: at)
        counters.recentSyncFailures.append(failure)
        if step == Self.linkListingStep { sync.linkListingFailure = failure }
        log(EventLogEntry(time: at, receivedAt: at, hostID: nil, kind: "sync", summary: "\(step) failed: \(message)", severity: .warning))
    }

    mutating func applyV2Heartbeat(_ beat: V2HostHeartbeat, subject: String, at: Date) {
        counters.v2Heartbeats += 1
        let hostID = beat.id.nonEmpty ?? subject.split(separator: ".").last.map(String.init) ?? ""
        let stamp = Stamp(time: at, tiebreak: "~v2")
        withHost(hostID, at: at, signOfLife: true) { host in
            if host.facts.v2.keepLatest(Stamped(stamp: stamp, value: beat, arrival: at)) { host.facts.v2Subject = subject }
            host.refreshInfo(at: at)
            if host.lastHeartbeatAt.map({ at > $0 }) ?? true { host.lastHeartbeatAt = at }
        }
        lastUpdate[.hosts] = at
        log(EventLogEntry(time: at, receivedAt: at, hostID: hostID, kind: "v2_heartbeat",
                          summary: "v2 heartbeat: \(beat.workloadCount) workload(s), \(beat.componentCount) component(s)",
                          severity: .debug))
    }
}
