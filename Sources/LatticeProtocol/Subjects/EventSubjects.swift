import Foundation

/// Lattice event subjects. wasmCloud events are always on `wasmbus.evt.{lattice}.{event}` (not
/// affected by the ctl prefix); wadm's own events on `wadm.evt.{lattice}.{event}`.
public struct EventSubjects: Sendable, Hashable, Codable {
    public static let hostEventPrefix = "wasmbus.evt"
    public static let wadmEventPrefix = "wadm.evt"

    public let lattice: String

    public init(lattice: String) {
        self.lattice = lattice
    }

    /// `wasmbus.evt.{lattice}.>`: every host event.
    public var wildcard: String { "\(Self.hostEventPrefix).\(lattice).>" }
    /// `wadm.evt.{lattice}.>`: wadm's manifest events.
    public var wadmWildcard: String { "\(Self.wadmEventPrefix).\(lattice).>" }

    /// `wasmbus.evt.{lattice}.{event}` for a short event name such as `host_heartbeat`.
    public func subject(event: String) -> String { "\(Self.hostEventPrefix).\(lattice).\(event)" }

    /// The subject an event of `type` is published on (host events under `wasmbus.evt`, wadm
    /// events under `wadm.evt`).
    public func subject(for type: LatticeEventType) -> String {
        let prefix = type.isWadmEvent ? Self.wadmEventPrefix : Self.hostEventPrefix
        return "\(prefix).\(lattice).\(type.shortName)"
    }

    /// Splits `wasmbus.evt.{lattice}.{event}` / `wadm.evt.{lattice}.{event}` into its parts.
    public static func parse(_ subject: String) -> (lattice: String, event: String)? {
        let tokens = subject.split(separator: ".", omittingEmptySubsequences: false)
        guard tokens.count == 4, tokens[1] == "evt", tokens[0] == "wasmbus" || tokens[0] == "wadm",
              !tokens[2].isEmpty, !tokens[3].isEmpty
        else { return nil }
        return (String(tokens[2]), String(tokens[3]))
    }
}
