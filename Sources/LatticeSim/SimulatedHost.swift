import Foundation

/// One simulated wasmCloud 1.x host: what it runs and how each provider behaves.
struct SimulatedHost: Sendable, Equatable {
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

    /// Uptime as a 1.x host prints it: humantime's format of the whole seconds, e.g. `1h 2m 3s`,
    /// `1day 4h`, `2days 5m 1s`, `1year 2months` (a year is 365.25 days, a month 30.44 days).
    func uptimeHuman(at now: Date) -> String {
        Self.humantime(uptimeSeconds(at: now))
    }

    static func humantime(_ seconds: UInt64) -> String {
        guard seconds > 0 else { return "0s" }
        let years = seconds / 31_557_600
        let monthsLeft = seconds % 31_557_600
        let months = monthsLeft / 2_630_016
        let daysLeft = monthsLeft % 2_630_016
        let days = daysLeft / 86_400
        let rest = daysLeft % 86_400
        let parts: [(UInt64, String, Bool)] = [
            (years, "year", true), (months, "month", true), (days, "day", true),
            (rest / 3600, "h", false), (rest % 3600 / 60, "m", false), (rest % 60, "s", false),
        ]
        return parts.filter { $0.0 > 0 }.map { value, unit, plural in
            "\(value)\(unit)" + (plural && value > 1 ? "s" : "")
        }.joined(separator: " ")
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
        /// Has no health subscription: probes get "no responders".
        case noEndpoint
    }

    var id: String
    var imageRef: String
    var name: String?
    var annotations: [String: String]
    var revision: Int32 = 0
    var config: [String] = []
    var startedAt: Date
    var behaviour: Behaviour = .healthy
    /// The `message` of its unhealthy answers.
    var healthMessage: String?
    /// The host's memory of the last probe result (1.x starts with false).
    var previousHealthy = false
    var nextProbe: Date
}

extension SimulatedHost {
    /// Equal in all its ping reply and inventory say: its providers' health-check state (when the
    /// next check is due, what the last one found) is not in them. A check every interval for
    /// every provider must not make every host's encodings again.
    func encodesAlike(_ other: SimulatedHost) -> Bool {
        var a = self, b = other
        a.providers = [:]
        b.providers = [:]
        guard a == b, providers.count == other.providers.count else { return false }
        for (id, p) in providers {
            guard var q = other.providers[id] else { return false }
            q.nextProbe = p.nextProbe
            q.previousHealthy = p.previousHealthy
            if p != q { return false }
        }
        return true
    }
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

/// SplitMix64: a small, fast, seedable generator for deterministic host IDs and names (not for
/// secrets: simulated host keys sign nothing).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The generator of host `index` under `seed`.
    static func host(_ index: Int, seed: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD6E8_FEB8_6659_FD93))
        return SplitMix64(seed: mixer.next())
    }
}
