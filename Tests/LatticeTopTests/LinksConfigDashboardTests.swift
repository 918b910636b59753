import Foundation
import LatticeProtocol
import LatticeSim
import Testing
import TerminalUI
@testable import LatticeTop

/// Links and config through the whole dashboard (monitor, UI loop, effects task, mutation
/// runner) on a scripted terminal against the simulator on a real nats-server: what the loop
/// itself must carry, such as the put-back that follows a half-done link change.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LinksConfigDashboardTests {
    /// Runs `body` on a running dashboard and stops it however the test ends (an overlay left
    /// open is closed first, so `q` quits).
    func running(_ body: (OperateDashboardTests.Running) async throws -> Void) async throws {
        let r = try await OperateDashboardTests.Running()
        do {
            try await body(r)
        } catch {
            r.terminal.press(.escape, .escape)
            await r.stop()
            throw error
        }
        r.terminal.press(.escape, .escape)
        await r.stop()
    }

    @Test func aRefusedRetargetIsPutBackByTheLoopAndTheDraftStays() async throws {
        try await running { r in
            let original = try #require(await r.sim.links.first { $0.sourceID == "nats-messaging" })
            await r.select(pane: "4", filter: "nats-messaging")
            await r.expectScreen("Links (1)")
            r.terminal.type("e")
            await r.expectScreen("Edit link")
            r.terminal.press(.tab, .ctrl("u"))
            r.terminal.type("rust_hello_world-http_component")
            for _ in 0..<6 { r.terminal.press(.tab) }
            r.terminal.type("no-such-config")
            r.terminal.press(.enter)
            await r.expectScreen("Change link?")
            await r.expectScreen("+ target         rust_hello_world-http_component")
            r.terminal.type("y")
            await r.expectScreen("no-such-config not found in config store")
            // The loop sent the put-back; the link is there again and the draft is still open.
            await r.expectScreen("✔ put link nats-messaging → echo-messaging")
            #expect(await r.sim.received(.linkDelete).count == 1)
            #expect(await r.sim.received(.linkPut).map { $0.decoded(Link.self)?.target } == ["rust_hello_world-http_component", "echo-messaging"])
            #expect(await r.sim.links.contains(original))
            #expect(r.terminal.text.contains("no-such-config"), "the draft stays:\n\(r.terminal.text)")
            r.terminal.press(.escape)
            // The refused put is shown as what it is, next to the link that is back.
            await r.expectScreen("Links (2) /nats-messaging")
            #expect(r.terminal.text.contains("✖ put refused: Failed to validate c"))
            #expect(r.audit().count == 3)
        }
    }

    @Test func undoBelongsToTheLatticeTheChangeWasMadeIn() async throws {
        try await running { r in
            await r.select(pane: "4", filter: "kvredis")
            await r.expectScreen("Links (1) /kvredis")
            r.terminal.press(.ctrl("d"))
            await r.expectScreen("Delete link?")
            r.terminal.type("y")
            await r.expectScreen("✔ delete link rust_http_kv-counter")
            // Another lattice and back: the undo history stayed with the lattice left behind.
            r.terminal.type(":lattice elsewhere")
            r.terminal.press(.enter)
            await r.expectScreen("watching lattice elsewhere")
            r.terminal.type(":lattice default")
            r.terminal.press(.enter)
            await r.expectScreen("watching lattice default")
            await r.select(pane: "4", filter: "")
            r.terminal.type("u")
            await r.expectScreen("no link change to undo")
            #expect(await r.sim.received(.linkPut).isEmpty)
        }
    }

    @Test func aConfigIsCreatedEditedAndDeletedFromTheKeys() async throws {
        try await running { r in
            await r.select(pane: "5", filter: "")
            await r.expectScreen("Config (4)")
            r.terminal.type("a")
            await r.expectScreen("New config")
            r.terminal.type("feature-flags")
            r.terminal.press(.tab)
            r.terminal.type("beta")
            r.terminal.press(.tab)
            r.terminal.type("on")
            r.terminal.press(.enter)
            await r.expectScreen("Create config?")
            r.terminal.type("y")
            await r.expectScreen("✔ put config feature-flags: config_set")
            await r.expectScreen("beta=on")
            #expect(await r.sim.received(.configPut).last?.decoded([String: String].self) == ["beta": "on"])

            await r.select(pane: "5", filter: "feature-flags")
            r.terminal.press(.ctrl("d"))
            await r.expectScreen("Delete config feature-flags (1 key)")
            r.terminal.type("y")
            await r.expectScreen("✔ delete config feature-flags: config_deleted")
            await r.expectScreen("Config (0) /feature-flags")
            #expect(await r.sim.received(.configDelete).last?.target == "feature-flags")
        }
    }
}
