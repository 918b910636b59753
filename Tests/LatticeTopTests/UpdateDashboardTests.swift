import Foundation
import LatticeProtocol
import LatticeSim
import Testing
@testable import LatticeTop

/// `component.update` on the whole dashboard: the host's trailing scale-0 (protocol reference
/// §2.3.4) does not hide the updated component, and the touched host is re-read after the change.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct UpdateDashboardTests {
    @Test func anUpdatedComponentStaysShownAndItsHostIsReread() async throws {
        var configuration = SimulatorConfiguration.fast()
        // No heartbeat comes to the rescue within the test.
        configuration.heartbeatInterval = .seconds(600)
        let r = try await OperateDashboardTests.Running(configuration: configuration)
        let (name, hostID) = try await r.firstHost()
        await r.expectScreen(name)
        let component = try #require(await r.sim.inventories().first { $0.hostID == hostID }?.components.first)
        // The component may run on several hosts; whichever row is selected, its host is read.
        let hostIDs = await r.sim.hostIDs
        let hostGets = { [sim = r.sim] in
            var n = 0
            for id in hostIDs { n += await sim.reads(of: "wasmbus.ctl.v1.default.host.get.\(id)") }
            return n
        }
        await r.select(pane: "2", filter: component.id)
        await r.expectScreen("● \(component.maxInstances) max")
        // The initial sync has read the host.
        #expect(await eventually { await hostGets() >= hostIDs.count })
        let readsBefore = await hostGets()

        await r.updateSelectedComponent(component.id, appending: "-next")
        // The host is read again after the change (the positive signal) …
        let reread = await eventually { await hostGets() > readsBefore }
        #expect(reread, "no host.get after the update")
        // … and the component is shown running with the new reference.
        r.terminal.press(.escape)
        r.terminal.type("/-next")
        r.terminal.press(.enter)
        await r.expectScreen("Components (1) /-next")
        await r.stop()
    }
}
