/// JetStream streams that keep a lattice's events: latticetop's flight recorder
/// (`latticetop record`) and wadm's short window of host events (protocol reference §2.4).
public enum EventStreams {
    /// wadm's stream of every lattice's host events (`wasmbus.evt.*.>`, about 70 s).
    public static let wadmHostEvents = "wasmbus_events"

    /// `LATTICETOP_EVENTS_<lattice>`, every character a stream name may not hold (`.`, `*`, `>`,
    /// `/`, `\`, whitespace, control characters, non-ASCII) made `_`.
    public static func recorder(lattice: String) -> String {
        "LATTICETOP_EVENTS_" + String(lattice.unicodeScalars.map { s -> Character in
            let ok = s.isASCII && s.value > 0x20 && s.value < 0x7F && !".*>/\\".unicodeScalars.contains(s)
            return ok ? Character(s) : "_"
        })
    }
}
