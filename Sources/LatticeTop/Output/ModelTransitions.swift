import Foundation
import LatticeState

/// What changed in the model that no single event says: hosts going stale or disappearing,
/// providers that stop reporting health. `latticetop events` prints these next to the events,
/// so a crash or a vanished host shows up as it happens.
enum ModelTransitions {
    static func between(_ old: LatticeState, _ new: LatticeState) -> [String] {
        var out: [String] = []
        let now = new.now
        for (id, host) in old.hosts {
            guard let current = new.hosts[id] else {
                if !host.liveness.isStopped { out.append("host \(host.displayName) \(id) GONE (no sign of life; removed from the model)") }
                continue
            }
            switch (host.liveness, current.liveness) {
            case (.live, .stale(let since, let reason)):
                let why = reason == .didNotAnswerPing ? "did not answer ping" : "no heartbeat"
                out.append("host \(current.displayName) \(id) STALE: \(why) for \(Int(now.timeIntervalSince(since)))s")
            case (.stale, .live):
                out.append("host \(current.displayName) \(id) is back")
            default:
                break
            }
            for (pid, provider) in host.providers {
                guard let p = current.providers[pid] else { continue }
                switch (provider.health, p.health) {
                case (.stale, .stale), (.notReportedHealthy, .notReportedHealthy):
                    break
                case (_, .stale(let last, _)):
                    let age = last.map { "for \(Int(now.timeIntervalSince($0)))s" } ?? "since it started"
                    out.append("provider \(pid) on \(current.displayName) SILENT: no health report \(age) (hung or crashed)")
                case (_, .notReportedHealthy):
                    out.append("provider \(pid) on \(current.displayName) has NEVER reported healthy")
                default:
                    break
                }
            }
        }
        return out
    }
}
