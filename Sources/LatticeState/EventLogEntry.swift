import Foundation
import LatticeProtocol

/// How loud an Events pane line is. Heartbeats and "same as before" health reports are `debug`.
public enum EventSeverity: Int, Sendable, Hashable, Comparable, CaseIterable {
    case debug, info, warning, error

    public static func < (lhs: EventSeverity, rhs: EventSeverity) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One line of the Events pane. Text comes from the network unsanitised; the UI sanitises it.
public struct EventLogEntry: Sendable, Equatable {
    /// When it happened: the event's own time when it has one, else when it arrived.
    public var time: Date
    public var receivedAt: Date
    public var hostID: String?
    /// The event's short type (`host_heartbeat`, `provider_started`, …) or a local kind
    /// (`undecodable`, `connection`, `sync`, `dropped`, `v2_heartbeat`, `wadm_status`).
    public var kind: String
    public var severity: EventSeverity
    /// One readable line. For events it is made when first read, not for every event that
    /// passes through the ring buffer.
    public var summary: String {
        get { text ?? payload?.summary ?? "" }
        set { text = newValue }
    }
    private var text: String?
    private var payload: LatticeEventPayload?

    public init(time: Date, receivedAt: Date, hostID: String?, kind: String, summary: String, severity: EventSeverity) {
        self.time = time
        self.receivedAt = receivedAt
        self.hostID = hostID
        self.kind = kind
        self.severity = severity
        text = summary
    }

    init(event: LatticeEvent, time: Date, receivedAt: Date) {
        self.time = time
        self.receivedAt = receivedAt
        hostID = event.hostID
        kind = event.knownType == nil ? event.type : LatticeEventPayload.shortNames[Int(event.payload.rank)]
        severity = event.payload.logSeverity
        payload = event.payload
    }
}
