import Foundation
import LatticeMonitor
import LatticeSim
import Testing
@testable import LatticeTop

/// A `link.get` that times out is asked once more with a longer wait, and when that fails too, once
/// more when the sync's hosts are all in; when that fails as well the header says the links are
/// not listed, until a later listing comes. The whole dashboard on a
/// scripted terminal against the simulator on a real nats-server, the simulator ignoring the
/// first requests.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct LinkListingRetryTests {
    /// The dashboard (control timeout 500 ms) on a simulator that ignores the first `ignored`
    /// `link.get` requests.
    static func withDashboard(ignoring ignored: Int, monitor: MonitorConfiguration = MonitorConfiguration(),
                              _ body: (LatticeFixture, FaultDashboardTests.App) async throws -> Void) async throws {
        try await FaultDashboardTests.withDashboard(monitor: monitor, timeout: .milliseconds(500),
                                                    beforeStart: { await $0.simulator.setRule(.ignoreNext(ignored), for: .linkGet) }, body)
    }

    @Test func aLinkGetThatTimedOutIsAskedOnceMoreAndTheLinksAppear() async throws {
        try await Self.withDashboard(ignoring: 1) { fixture, app in
            await app.pane("4")
            await app.expectScreen("Links (4)")
            // The listing came from the second request; the first was never answered.
            #expect(await fixture.simulator.reads(of: fixture.client.subjects.linkGet) == 2)
            #expect(!app.terminal.text.contains("links not listed"), "\(app.terminal.text)")
        }
    }

    /// Two timeouts beside the hosts' replies: the listing is asked a third time once every host
    /// is in, within the same sync (not at the next resync, a minute later).
    @Test func twoTimeoutsAreAskedOnceMoreWhenTheHostsAreIn() async throws {
        try await Self.withDashboard(ignoring: 2) { fixture, app in
            await app.pane("4")
            await app.expectScreen("Links (4)", timeout: .seconds(15))
            #expect(await fixture.simulator.reads(of: fixture.client.subjects.linkGet) == 3)
            await app.expectGone("links not listed")
        }
    }

    @Test func threeTimeoutsShowABannerThatALaterListingClears() async throws {
        try await Self.withDashboard(ignoring: 3, monitor: MonitorConfiguration(resyncInterval: .seconds(8))) { fixture, app in
            await app.pane("4")
            await app.expectScreen("links not listed: timed out waiting for a reply on \(fixture.client.subjects.linkGet)")
            #expect(app.terminal.text.contains("max_payload"), "\(app.terminal.text)")
            #expect(app.terminal.text.contains("Links (0)"), "\(app.terminal.text)")
            #expect(await fixture.simulator.reads(of: fixture.client.subjects.linkGet) == 3)
            // The next resync lists them: the banner goes.
            await app.expectScreen("Links (4)", timeout: .seconds(20))
            await app.expectGone("links not listed")
            #expect(await fixture.simulator.reads(of: fixture.client.subjects.linkGet) >= 4)
        }
    }
}
