import Foundation

/// One simulated wasmCloud 1.x host: what it runs and how each provider behaves.
struct SimulatedHost: Sendable {
    enum Life: Sendable, Equatable {
        case running
        /// Gone without a word (no heartbeats, no replies, no `host_stopped`).
        case vanished
        /// Shut down after `host.stop` (it sent `host_stopped`).
        case stopped
    }

    let id: String
    let friendlyName: String
    var labels: [String: String]
    let startedAt: Date
    var life: Life = .running
    var components: [String: SimulatedComponent] = [:]
    var providers: [String: SimulatedProvider] = [:]

    func uptimeSeconds(at now: Date) -> UInt64 {
        UInt64(max(0, now.timeIntervalSince(startedAt)))
    }

    /// humantime-style uptime as 1.x hosts print it, e.g. `1h 2m 3s`.
    func uptimeHuman(at now: Date) -> String {
        var s = uptimeSeconds(at: now)
        let d = s / 86_400; s %= 86_400
        let h = s / 3600; s %= 3600
        let m = s / 60; s %= 60
        var parts: [String] = []
        if d > 0 { parts.append("\(d)days") }
        if h > 0 { parts.append("\(h)h") }
        if m > 0 { parts.append("\(m)m") }
        if s > 0 || parts.isEmpty { parts.append("\(s)s") }
        return parts.joined(separator: " ")
    }
}

struct SimulatedComponent: Sendable, Equatable {
    var id: String
    var imageRef: String
    var maxInstances: UInt32
    var annotations: [String: String]
    var name: String?
    var revision: Int32 = 0
    var config: [String] = []
}

struct SimulatedProvider: Sendable, Equatable {
    enum Behaviour: Sendable, Equatable {
        case healthy
        /// Answers its probes with `healthy: false`.
        case unhealthy
        /// Does not answer probes at all (crashed or hung).
        case silent
    }

    var id: String
    var imageRef: String
    var name: String?
    var annotations: [String: String]
    var revision: Int32 = 0
    var config: [String] = []
    var startedAt: Date
    var behaviour: Behaviour = .healthy
    /// The host's memory of the last probe result (1.x starts with false).
    var previousHealthy = false
    var nextProbe: Date
}

/// Host names like wasmCloud's: adjective-noun-NNNN.
enum FriendlyName {
    static let adjectives = ["quiet", "brave", "misty", "bold", "calm", "eager", "fancy", "gentle", "lucky", "proud",
                             "rapid", "silent", "sunny", "swift", "wild", "young"]
    static let nouns = ["meadow", "river", "forest", "canyon", "harbor", "island", "lake", "mountain", "ocean", "prairie",
                        "reef", "ridge", "valley", "glade", "dune", "cove"]

    static func make<G: RandomNumberGenerator>(using rng: inout G) -> String {
        "\(adjectives.randomElement(using: &rng)!)-\(nouns.randomElement(using: &rng)!)-\(Int.random(in: 1000...9999, using: &rng))"
    }
}
