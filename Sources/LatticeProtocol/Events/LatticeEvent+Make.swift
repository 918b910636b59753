import Foundation

extension LatticeEvent {
    /// A new event as a host (or wadm, `source: "wadm"`) would publish it: spec 1.0, JSON
    /// content type, a time-sortable UUID-formatted ID, `time` in RFC 3339 UTC with microseconds.
    public static func make(
        _ payload: LatticeEventPayload, source: String, time: Date = Date(), id: String? = nil
    ) -> LatticeEvent {
        LatticeEvent(
            id: id ?? EventID.make(at: time), source: source,
            time: RFC3339.format(time, fractionalDigits: 6), payload: payload)
    }

    /// The CloudEvents JSON to publish.
    public func encoded() throws -> Data {
        try WireJSON.encode(self)
    }

    /// The subject this event is published on: `wasmbus.evt.{lattice}.{event}` (or
    /// `wadm.evt.{lattice}.{event}` for wadm events). `nil` for an unknown type whose name does
    /// not start with a known prefix.
    public func subject(lattice: String) -> String? {
        if let known = knownType { return EventSubjects(lattice: lattice).subject(for: known) }
        let type = self.type
        guard type.hasPrefix(LatticeEventType.hostTypePrefix) else { return nil }
        let short = type.dropFirst(LatticeEventType.hostTypePrefix.count)
        guard !short.isEmpty, !short.contains(".") else { return nil }
        return EventSubjects(lattice: lattice).subject(event: String(short))
    }
}
