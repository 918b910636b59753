import Foundation
import Testing
@testable import LatticeProtocol
import MallocTuning

/// What sharing string maps (`StringMapInterner`) saves when decoding 10,000 hosts' inventories
/// (5 components, 2 providers each, labels of three sets), with it and without it (no entries),
/// on two workloads: *replicas* — each host runs replicas of 5 of 50 components, whose wadm
/// annotations are alike on every host (as wadm writes them) — and *distinct* — every component
/// its own, as the simulator's `--scale` workload has them (its scaler annotation names the
/// component). Prints the time, the distinct tables held and the heap bytes held by the decoded
/// inventories. Enabled by `LATTICETOP_BENCH=1` (times mean little in a debug build; the tables
/// and bytes do not depend on it).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LATTICETOP_BENCH"] == "1"))
struct StringMapBenchmark {
    static let hosts = 10_000

    static func replies(replicas: Bool) throws -> [Data] {
        let labelSets = [["zone": "eu-west", "tier": "edge"], ["zone": "eu-west", "tier": "core"], ["zone": "us-east", "tier": "core"]]
        return try (0..<hosts).map { h in
            let components = (0..<5).map { k in
                let c = replicas ? (h % 10) * 5 + k : h * 5 + k
                let app = "scale-app-" + String(c / 10)
                return ComponentDescription(
                    id: "scale-component-\(c)", imageRef: "ghcr.io/example/\(app)/component:0.\(c % 5).0",
                    annotations: ["wasmcloud.dev/appspec": app, "wasmcloud.dev/managed-by": "wadm",
                                  "wasmcloud.dev/scaler": "\(app)-scale-component-\(c)", "wasmcloud.dev/spread_name": "default"],
                    maxInstances: 1)
            }
            let providers = (0..<2).map { p in
                ProviderDescription(id: "scale-provider-\(h * 2 + p)", imageRef: "ghcr.io/example/provider-\(p):0.1.0", annotations: [:])
            }
            return try WireJSON.encode(CtlResponse<HostInventory>.ok(HostInventory(
                components: components, providers: providers, hostID: "NHOST\(h)", friendlyName: "host-\(h)",
                labels: labelSets[h % 3], version: "1.9.2", uptimeHuman: "1m", uptimeSeconds: 60)))
        }
    }

    static func heapInUse() -> Int {
        HeapFigures.now()?.inUse ?? 0
    }

    @Test func decodeTenThousandInventories() throws {
        for replicas in [true, false] {
            let replies = try Self.replies(replicas: replicas)
            for sharing in [true, false, true, false] {
                let maps = sharing ? StringMapInterner(buckets: 512, ways: 4, maxBytes: 1_024, maxPairs: 32)
                                   : StringMapInterner(buckets: 0, ways: 1, maxBytes: 1_024, maxPairs: 32)
                let before = Self.heapInUse()
                let clock = ContinuousClock()
                var held: [HostInventory] = []
                held.reserveCapacity(replies.count)
                let elapsed = clock.measure {
                    for reply in replies {
                        held.append(HostReplyDecoder.direct(reply, maps: maps, payload: HostReplyDecoder.hostInventory)!.response!)
                    }
                }
                let bytes = Self.heapInUse() - before
                let tables = Set(held.flatMap { i in i.components.map { StringMapSharingTests.table($0.annotations!) } }).count
                let labelTables = Set(held.map { StringMapSharingTests.table($0.labels) }).count
                print("string maps: \(replicas ? "replicas" : "distinct") sharing \(sharing ? "on " : "off"): "
                      + "\(elapsed) for \(replies.count) inventories, annotation tables \(tables), label tables \(labelTables), "
                      + "heap held \(bytes / 1_024) KiB, hits \(maps.hits), kept \(maps.count)")
                #expect(held.count == replies.count)
            }
        }
    }
}
