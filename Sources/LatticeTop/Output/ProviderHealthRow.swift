import Foundation
import LatticeClient
import LatticeMonitor
import LatticeProtocol
import LatticeState
import Synchronization

/// One row of `get providers`: the inventory's provider, its host, and what its health probe
/// got. Encodes as the wire object plus `host_id`, `health` (`healthy`, `unhealthy`,
/// `not answering`, `no health endpoint`, `unknown`) and `health_message`.
struct ProviderHealthRow: Encodable, Sendable {
    let hosted: Hosted<ProviderDescription>
    let outcome: ProbeOutcome?

    var health: String { outcome?.word ?? "unknown" }

    /// The provider's message, or why the health is unknown.
    var healthMessage: String? {
        if let outcome { return outcome.message }
        return hosted.item.imageRef?.hasPrefix(ProviderRecord.builtinPrefix) == true ? "builtin provider, not probed" : nil
    }

    enum CodingKeys: String, CodingKey {
        case health
        case healthMessage = "health_message"
    }

    func encode(to encoder: any Encoder) throws {
        try hosted.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(health, forKey: .health)
        try c.encode(healthMessage, forKey: .healthMessage)
    }

    /// Probes every binary provider ID in `rows` once, concurrently (a provider on several hosts
    /// is one subject; the first answer stands for all).
    static func probe(_ rows: [Hosted<ProviderDescription>], client: LatticeClient) async -> [String: ProbeOutcome] {
        let ids = Set(rows.filter { $0.item.imageRef?.hasPrefix(ProviderRecord.builtinPrefix) != true }.map(\.item.id)).sorted()
        let results = Mutex<[String: ProbeOutcome]>([:])
        await HealthProber.probe(ids, client: client) { id, outcome in results.withLock { $0[id] = outcome } }
        return results.withLock { $0 }
    }
}
