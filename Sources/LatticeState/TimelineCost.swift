import Foundation
import LatticeProtocol

/// Estimated bytes of what `LatticeTimeline` keeps, for its budget: not measured (that would cost
/// more than the timeline), but from the values' inline sizes, the heap strings and lists they
/// hold, and hash tables' spare room. Calibrated against the heap of a 10,000-host model
/// (`TimelineMemoryBenchmark`: ~125 MiB measured, ~143 MiB estimated), so it errs high.
public enum TimelineCost {
    /// A string's heap bytes: none up to 15 UTF-8 bytes (stored inline), else a header and the
    /// bytes rounded up to the allocator's 16.
    static func heap(_ string: String) -> Int {
        let n = string.utf8.count
        return n <= 15 ? 0 : 32 + (n + 15) / 16 * 16
    }

    static func heap(_ inventory: HostInventory) -> Int {
        inventory.components.count * 256 + inventory.providers.count * 192 + inventory.labels.count * 96
    }

    /// One kept input: its inline size, its moment and cost, its strings and what its payload
    /// holds (a heartbeat whose lists are shared with the host's previous one: not the lists).
    public static func bytes(of input: LatticeInput, sharedInventory: Bool = false) -> Int {
        let fixed = MemoryLayout<LatticeInput>.stride + MemoryLayout<Date>.stride + MemoryLayout<Int32>.stride
        switch input {
        case .event(let event, _), .recorded(let event, _):
            var bytes = fixed + heap(event.id) + heap(event.source) + (event.time.map(heap) ?? 0) + (event.dataContentType.map(heap) ?? 0)
            if case .hostHeartbeat(let inventory) = event.payload {
                bytes += sharedInventory ? 0 : heap(inventory)
            } else {
                bytes += 128
            }
            return bytes
        case .inventory(let inventory, _, _):
            return fixed + heap(inventory) + heap(inventory.hostID)
        case .hostPinged:
            return fixed + 512
        case .links(let links, _, _):
            return fixed + links.count * 320
        case .configs(let configs, _, _):
            return fixed + (configs?.count ?? 0) * 128
        case .applications(let summaries, _, _):
            return fixed + (summaries?.count ?? 0) * 256
        case .undecodable(let subject, let reason, let raw, _):
            return fixed + heap(subject) + heap(reason) + raw.count
        case .syncFinished(_, let hosts, _, _):
            return fixed + hosts.count * 96
        default:
            return fixed + 64
        }
    }

    /// A value kept in an `OutOfLine` box: the box's object header and the value, as the
    /// allocator rounds it.
    static func boxed<Value>(_: Value.Type) -> Int {
        (16 + MemoryLayout<Value>.size + 8 + 15) / 16 * 16
    }

    /// One state kept whole: every record at twice its inline size (hash tables keep spare
    /// room), its out-of-line parts (counted whole, though a copy shares the ones neither
    /// changed), plus what records hold on the heap.
    public static func bytes(of state: LatticeState) -> Int {
        var components = 0, providers = 0
        for host in state.hosts.values {
            components += host.components.count
            providers += host.providers.count
        }
        return 64 << 10
            + state.hosts.count * (2 * MemoryLayout<HostRecord>.stride + boxed(HostProfile.self) + boxed(HostFacts.self) + 512)
            + components * (2 * MemoryLayout<ComponentRecord>.stride + boxed(ComponentFacts.self) + 128)
            + providers * (2 * MemoryLayout<ProviderRecord>.stride + boxed(ProviderFacts.self) + 256)
            + state.links.count * (2 * MemoryLayout<LinkRecord>.stride + 128)
            + state.configs.count * 512 + state.applications.count * 512
            + state.eventLog.count * 256
    }
}
