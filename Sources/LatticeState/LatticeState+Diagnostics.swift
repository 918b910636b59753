import Foundation
import LatticeProtocol

/// Decode errors, dropped messages and the connection.
extension LatticeState {
    static let previewBytes = 240

    mutating func applyUndecodable(subject: String, reason: String, raw: Data, at: Date) {
        counters.decodeErrors += 1
        counters.recentDecodeErrors.append(DecodeErrorSample(
            subject: subject, reason: reason, preview: String(decoding: raw.prefix(Self.previewBytes), as: UTF8.self),
            byteCount: raw.count, at: at))
        log(EventLogEntry(time: at, receivedAt: at, hostID: nil, kind: "undecodable",
                          summary: "\(subject): \(reason)", severity: .warning))
    }

    mutating func applyDropped(subject: String, total: Int64, at: Date) {
        let previous = counters.droppedBySubject[subject] ?? 0
        guard total != previous else { return }
        counters.droppedBySubject[subject] = total
        if total > previous {
            log(EventLogEntry(time: at, receivedAt: at, hostID: nil, kind: "dropped",
                              summary: "\(total - previous) message(s) dropped on \(subject) (\(total) in all): the model may miss changes until the next sync",
                              severity: .warning))
        }
    }

    mutating func applyConnection(_ status: ConnectionStatus, at: Date) {
        guard status != connection.status || connection.since == nil else { return }
        connection.status = status
        connection.since = at
        let severity: EventSeverity
        switch status {
        case .connected: severity = .info
        case .connecting: severity = .debug
        case .disconnected, .reconnecting, .closed: severity = .warning
        }
        log(EventLogEntry(time: at, receivedAt: at, hostID: nil, kind: "connection", summary: status.summary, severity: severity))
    }
}

extension ConnectionStatus {
    var summary: String {
        switch self {
        case .connecting: return "connecting"
        case .connected(let server): return "connected to \(server)"
        case .disconnected: return "disconnected"
        case .reconnecting(let attempt): return "reconnecting (attempt \(attempt))"
        case .closed: return "connection closed"
        }
    }
}
