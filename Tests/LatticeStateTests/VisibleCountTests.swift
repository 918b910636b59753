import Foundation
import LatticeProtocol
import Testing
@testable import LatticeState

/// `HostRecord.visibleComponentCount` / `visibleProviderCount` (the Hosts pane's COMP and PROV,
/// counted without building the sorted lists) say what `visibleComponents` / `visibleProviders` list.
@Suite struct VisibleCountTests {
    @Test func theCountsAreThoseOfTheListsAlsoWithRemovedRecords() {
        let t0 = Date(timeIntervalSince1970: 1_748_773_800)
        let inventory = { (components: [String], providers: [String], at: TimeInterval) -> LatticeInput in
            let inventory = HostInventory(components: components.map { ComponentDescription(id: $0, imageRef: "ghcr.io/x/\($0):1", maxInstances: 1) },
                                          providers: providers.map { ProviderDescription(id: $0) }, hostID: "NHOST",
                                          friendlyName: "edge", labels: [:], version: "1.9.2", uptimeHuman: "", uptimeSeconds: 1)
            return .inventory(inventory, syncID: 1, at: t0 + at)
        }
        var state = LatticeState()
        state.apply(inventory(["c1", "c2", "c3"], ["p1", "p2"], 0))
        var host = state.hosts["NHOST"]!
        #expect(host.visibleComponentCount == 3 && host.visibleProviderCount == 2)
        // A newer inventory without c2 and p1: c2 is gone from the list, and from the count.
        state.apply(contentsOf: [inventory(["c1", "c3"], ["p2"], 1), .tick(t0 + 2)])
        host = state.hosts["NHOST"]!
        #expect(host.visibleComponentCount == host.visibleComponents.count && host.visibleComponentCount == 2)
        #expect(host.visibleProviderCount == host.visibleProviders.count)
        // c2's record is kept, not visible: the count skips it as the list does.
        #expect(host.components.count == 3)
    }
}
