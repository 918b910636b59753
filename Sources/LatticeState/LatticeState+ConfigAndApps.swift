import Foundation
import LatticeProtocol

/// Named config and wadm applications.
extension LatticeState {
    // MARK: - Named config

    mutating func updateConfig(_ name: String, at: Date, _ body: (inout ConfigFacts) -> Void) {
        guard !name.isEmpty else { return }
        lastUpdate[.configs] = at
        if configs[name] == nil { configs[name] = ConfigRecord(name: name, at: at) }
        body(&configs[name]!.facts)
        configs[name]!.facts.touch(at)
        configs[name]!.refresh(absence: Self.configAbsence(name, configSnapshot), at: at)
        changes.mark(.config(name))
    }

    /// A config-name listing lists secret references too (their values are never fetched).
    static func configAbsence(_ name: String, _ snapshot: Snapshot<String>?) -> Stamp? {
        snapshot.absence(of: name)
    }

    /// One config's values (`nil`: it does not exist).
    mutating func applyConfigValues(name: String, values: [String: String]?, at: Date) {
        let stamp = Stamp(time: at, tiebreak: "~config.get")
        updateConfig(name, at: at) { $0.observed.keepLatest(Stamped(stamp: stamp, value: values, arrival: at)) }
    }

    /// Every config name with its values (`nil`: the names cannot be listed, which proves
    /// nothing about existing entries). Secret references (`SECRET…`) are listed with no values
    /// (they are never fetched).
    mutating func applyConfigListing(_ listing: [String: [String: String]]?, syncID: Int, at: Date) {
        guard let listing else {
            if configNamesKnown { changes.mark(.allLinks) }
            configNamesKnown = false
            return
        }
        if !configNamesKnown { changes.mark(.allLinks) }
        configNamesKnown = true
        lastUpdate[.configs] = at
        let stamp = Stamp(time: at, tiebreak: "~sync \(syncID) config")
        let isLatest = Stamp.isLater(stamp, than: configSnapshot?.stamp)
        if isLatest { configSnapshot = Snapshot(stamp: stamp, keys: Set(listing.keys)) }
        for (name, values) in listing {
            updateConfig(name, at: at) { $0.observed.keepLatest(Stamped(stamp: stamp, value: values, arrival: at)) }
        }
        if isLatest {
            let snapshot = configSnapshot
            var touched: [String] = []
            configs.mutateEachValue { name, record in
                if record.refresh(absence: Self.configAbsence(name, snapshot), at: at) { touched.append(name) }
            }
            for name in touched { changes.mark(.config(name)) }
        }
    }

    // MARK: - wadm applications

    mutating func updateApplication(_ name: String, at: Date, _ body: (inout ApplicationFacts) -> Void) {
        guard !name.isEmpty else { return }
        lastUpdate[.applications] = at
        if applications[name] == nil { applications[name] = ApplicationRecord(name: name, at: at) }
        body(&applications[name]!.facts)
        applications[name]!.facts.touch(at)
        applications[name]!.refresh(absence: applicationSnapshot.absence(of: name), at: at)
    }

    mutating func applyWadmStatus(application: String, status: WadmStatus, at: Date) {
        let stamp = Stamp(time: at, tiebreak: "~wadm.status")
        updateApplication(application, at: at) { $0.status.keepLatest(Stamped(stamp: stamp, value: status, arrival: at)) }
        log(EventLogEntry(time: at, receivedAt: at, hostID: nil, kind: "wadm_status",
                          summary: "app \(application): \(status.status.type)" + (status.status.message.isEmpty ? "" : ": \(status.status.message)"),
                          severity: status.status.type.severity))
    }

    /// wadm's application list (`nil`: wadm did not answer).
    mutating func applyApplicationListing(_ summaries: [ModelSummary]?, syncID: Int, at: Date) {
        guard let summaries else {
            wadmAvailable = false
            return
        }
        wadmAvailable = true
        lastUpdate[.applications] = at
        let stamp = Stamp(time: at, tiebreak: "~sync \(syncID) wadm")
        let isLatest = Stamp.isLater(stamp, than: applicationSnapshot?.stamp)
        if isLatest { applicationSnapshot = Snapshot(stamp: stamp, keys: Set(summaries.map(\.name))) }
        for summary in summaries {
            updateApplication(summary.name, at: at) { $0.listed.keepLatest(Stamped(stamp: stamp, value: summary, arrival: at)) }
        }
        if isLatest {
            let snapshot = applicationSnapshot
            applications.mutateEachValue { name, record in record.refresh(absence: snapshot.absence(of: name), at: at) }
        }
    }
}

extension WadmStatusType {
    var severity: EventSeverity {
        switch self {
        case .failed, .unhealthy: return .warning
        default: return .info
        }
    }
}
