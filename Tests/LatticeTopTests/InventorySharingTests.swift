import Foundation
import LatticeClient
import LatticeMonitor
import LatticeProtocol
import LatticeState
import Testing

/// A heartbeat that repeats the host's previous one shares that one's parts: equal values, one
/// copy in memory (what waits for the UI and what the model keeps).
@Suite struct InventorySharingTests {
    /// A host's inventory as a fresh decode makes it: every string and list newly allocated.
    static func inventory(host: Int = 1, uptime: UInt64, image: (Int) -> String = { "ghcr.io/example/component-\($0):0.1.0" }) -> HostInventory {
        HostInventory(
            components: (0..<5).map {
                ComponentDescription(id: "component-\($0)-of-host-\(host)-with-a-long-id", imageRef: image($0),
                                     annotations: ["wasmcloud.dev/appspec": "application-\($0)-of-host-\(host)"], maxInstances: 1)
            },
            providers: (0..<2).map { ProviderDescription(id: "provider-\($0)-of-host-\(host)-with-a-long-id", imageRef: "ghcr.io/p/\($0):1") },
            hostID: "N" + String(repeating: "H", count: 50) + "\(host)", friendlyName: "friendly-host-name-number-\(host)",
            labels: ["hostcore.os": "linux-\(host)-with-a-long-label"], version: "1.9.2-\(host)-long-version-text",
            uptimeHuman: "\(uptime)s", uptimeSeconds: uptime)
    }

    static let t0 = Date(timeIntervalSince1970: 1_000)

    static func storage<T>(_ array: [T]) -> UnsafeRawPointer? {
        array.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    static func storage(_ string: String) -> UnsafeRawPointer? {
        string.utf8.withContiguousStorageIfAvailable { $0.baseAddress.map(UnsafeRawPointer.init) } ?? nil
    }

    @Test func aRepeatedInventorySharesThePreviousOnesParts() {
        let sharing = InventorySharing()
        let first = sharing.share(Self.inventory(uptime: 10), at: Self.t0)
        let again = Self.inventory(uptime: 15)
        #expect(Self.storage(again.components) != Self.storage(first.components), "two decodes, two copies")
        let shared = sharing.share(again, at: Self.t0)
        #expect(shared == again, "the value is unchanged")
        #expect(Self.storage(shared.components) == Self.storage(first.components))
        #expect(Self.storage(shared.providers) == Self.storage(first.providers))
        #expect(Self.storage(shared.hostID) == Self.storage(first.hostID))
        #expect(Self.storage(shared.friendlyName) == Self.storage(first.friendlyName))
        #expect(shared.uptimeSeconds == 15)
    }

    @Test func aChangedComponentIsNewTheOthersAreShared() {
        let sharing = InventorySharing()
        let first = sharing.share(Self.inventory(uptime: 10), at: Self.t0)
        let changed = Self.inventory(uptime: 15) { $0 == 2 ? "ghcr.io/example/component-2:0.2.0" : "ghcr.io/example/component-\($0):0.1.0" }
        let shared = sharing.share(changed, at: Self.t0)
        #expect(shared == changed)
        #expect(shared.components[2].imageRef == "ghcr.io/example/component-2:0.2.0")
        #expect(Self.storage(shared.components[2].imageRef) == Self.storage(changed.components[2].imageRef))
        for i in [0, 1, 3, 4] {
            #expect(Self.storage(shared.components[i].id) == Self.storage(first.components[i].id))
            #expect(Self.storage(shared.components[i].imageRef) == Self.storage(first.components[i].imageRef))
        }
        // The next heartbeat shares with this one, the latest.
        let next = sharing.share(changed, at: Self.t0)
        #expect(Self.storage(next.components) == Self.storage(shared.components))
    }

    /// A sync's ping and inventory, shared as the sync's reader reads each (`share(_: HostSyncEvent)`):
    /// the ping's host ID, labels and name are the host's last inventory's, the inventory's parts too.
    @Test func aSyncsPingAndInventoryShareTheHostsLastInventory() {
        let sharing = InventorySharing()
        let known = sharing.share(Self.inventory(host: 3, uptime: 10), at: Date())
        let fresh = Self.inventory(host: 3, uptime: 20)
        let ping = HostInfo(id: fresh.hostID, friendlyName: fresh.friendlyName, labels: fresh.labels, lattice: "default",
                            uptimeSeconds: 20)
        guard case .pinged(let shared) = sharing.share(HostSyncEvent.pinged(ping)),
              case .inventory(let inventory) = sharing.share(HostSyncEvent.inventory(fresh)) else {
            Issue.record("events changed kind")
            return
        }
        #expect(shared == ping, "the value is unchanged")
        #expect(Self.storage(shared.id) == Self.storage(known.hostID))
        #expect(Self.storage(shared.friendlyName) == Self.storage(known.friendlyName))
        #expect(Self.storage(ping.friendlyName) != Self.storage(known.friendlyName), "two decodes, two copies")
        #expect(unsafeBitCast(shared.labels, to: UnsafeRawPointer.self) == unsafeBitCast(known.labels, to: UnsafeRawPointer.self))
        #expect(inventory == fresh)
        #expect(Self.storage(inventory.components) == Self.storage(known.components))
        // A host not known yet: as it is.
        let stranger = HostInfo(id: "N" + String(repeating: "S", count: 55), friendlyName: "some-stranger-host-name-here",
                                labels: [:], lattice: "default", uptimeSeconds: 1)
        #expect(sharing.share(HostSyncEvent.pinged(stranger)) == .pinged(stranger))
    }

    @Test func heartbeatsAndSyncInventoriesOfEachHostShare() {
        let sharing = InventorySharing()
        let at = Date(timeIntervalSince1970: 1_000)
        let sync = sharing.share(LatticeInput.inventory(Self.inventory(host: 7, uptime: 1), syncID: 1, at: at))
        let beat = LatticeEvent(id: "e1", source: Self.inventory(host: 7, uptime: 2).hostID, time: nil,
                                payload: .hostHeartbeat(Self.inventory(host: 7, uptime: 2)))
        guard case .inventory(let synced, _, _) = sync, case .event(let event, _) = sharing.share(.event(beat, at: at)),
              case .hostHeartbeat(let beaten) = event.payload else {
            Issue.record("inputs changed kind")
            return
        }
        #expect(Self.storage(beaten.components) == Self.storage(synced.components))
        #expect(sharing.count == 1)
        // Other hosts are not mixed up.
        _ = sharing.share(Self.inventory(host: 8, uptime: 1), at: Self.t0)
        #expect(sharing.count == 2)
    }

    @Test func aHostNotHeardOfForTheRetentionIsForgotten() {
        let sharing = InventorySharing(retention: 900)
        _ = sharing.share(Self.inventory(host: 1, uptime: 1), at: Self.t0)
        _ = sharing.share(Self.inventory(host: 2, uptime: 1), at: Self.t0.addingTimeInterval(61))
        #expect(sharing.count == 2)
        // Host 2 heartbeats on; host 1 went away without a stop event.
        for minute in 2...16 { _ = sharing.share(Self.inventory(host: 2, uptime: 1), at: Self.t0.addingTimeInterval(Double(minute * 60 + 1))) }
        #expect(sharing.count == 1, "host 1, silent for more than 900 s, is forgotten")
    }

    @Test func aStopForgetsTheHost() {
        let sharing = InventorySharing()
        _ = sharing.share(Self.inventory(host: 3, uptime: 1), at: Self.t0)
        let stop = LatticeEvent(id: "e2", source: Self.inventory(host: 3, uptime: 1).hostID, time: nil,
                                payload: .hostStopped(HostStoppedEvent(labels: [:])))
        _ = sharing.share(.event(stop, at: Self.t0))
        #expect(sharing.count == 0)
    }

    @Test func pastItsCapacityItStartsOver() {
        let sharing = InventorySharing(capacity: 3)
        for host in 0..<3 { _ = sharing.share(Self.inventory(host: host, uptime: 1), at: Self.t0) }
        #expect(sharing.count == 3)
        _ = sharing.share(Self.inventory(host: 9, uptime: 1), at: Self.t0)
        #expect(sharing.count == 1)
    }
}
