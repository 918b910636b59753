import Foundation
import LatticeProtocol
import LatticeSim
import NATSKit
import Testing
import TerminalUI
@testable import LatticeTop

/// The whole dashboard (monitor, loop, effects task, mutation runner) on a scripted terminal
/// against the simulator on a real nats-server: keys in, the request the host received, the
/// event that followed and the state shown; failure paths keep the draft; read-only sends nothing.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct OperateDashboardTests {
    final class Running: @unchecked Sendable {
        let fixture: LatticeFixture
        let terminal = ScriptedTerminal(width: 220, height: 45)
        let auditPath: String
        var task: Task<Void, any Error>?

        /// `washContexts`: a wash context directory the settings are resolved with (its warnings too).
        init(readOnly: Bool = false, requestTimeout: Duration = .seconds(2), configuration: SimulatorConfiguration = .fast(),
             washContexts: URL? = nil) async throws {
            fixture = try await LatticeFixture(configuration)
            auditPath = FileManager.default.temporaryDirectory.appendingPathComponent("ltaudit-\(UUID().uuidString)/audit.log").path
            var settings = ConnectionSettings(nats: NATSConnectionOptions(servers: [fixture.server.url]), lattice: "default",
                                              timeout: requestTimeout)
            if let washContexts {
                var inputs = ConnectionInputs()
                inputs.natsURLs = [fixture.server.url]
                let environment = ["WASH_CONTEXT_DIR": washContexts.path]
                settings = try ConnectionSettings.resolve(inputs, environment: environment, contexts: WashContextStore(environment: environment))
                settings.timeout = requestTimeout
            }
            var options = DashboardApp.Options(settings: settings, readOnly: readOnly)
            options.auditPath = auditPath
            options.confirmTimeout = .seconds(5)
            let app = DashboardApp(options: options)
            let terminal = self.terminal
            task = Task { try await app.run(on: terminal) }
        }

        var sim: LatticeSimulator { fixture.simulator }

        /// The first host's friendly name and ID.
        func firstHost() async throws -> (name: String, id: String) {
            let inv = try #require(await sim.inventories().first)
            return (inv.friendlyName, inv.hostID)
        }

        /// Opens pane `n` and filters it down to rows matching `text`.
        func select(pane n: Character, filter text: String) async {
            terminal.type(String(n))
            terminal.press(.escape)
            terminal.type("/" + text)
            terminal.press(.enter)
            await terminal.settle()
        }

        /// Waits for `needle` on the screen; records the screen when it does not come.
        func expectScreen(_ needle: String, timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation) async {
            if await terminal.waitFor(needle, timeout: timeout) { return }
            Issue.record("the screen never showed \"\(needle)\"; \(screenReport(terminal.text))", sourceLocation: sourceLocation)
        }

        /// Updates the selected (wadm-managed) component to its reference plus `suffix`, through
        /// the form and the wadm confirm, and waits for the confirming event.
        func updateSelectedComponent(_ id: String, appending suffix: String) async {
            terminal.type("u")
            await expectScreen("Update component \(id)")
            terminal.type(suffix)
            terminal.press(.enter)
            await expectScreen("wadm will revert this change")
            terminal.type("y")
            await expectScreen("✔ update component \(id): component_scaled")
        }

        func audit() -> [String] {
            ((try? String(contentsOfFile: auditPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        func stop() async {
            terminal.press(.character("q"))
            _ = try? await task?.value
            try? FileManager.default.removeItem(atPath: (auditPath as NSString).deletingLastPathComponent)
            await fixture.shutdown()
        }
    }

    @Test func anInvalidDefaultWashContextIsToldOnTheFlashLine() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ltctx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "broken\n".write(to: dir.appendingPathComponent("default"), atomically: true, encoding: .utf8)
        try "{\n  \"ctl_port\": \"x\"\n}".write(to: dir.appendingPathComponent("broken.json"), atomically: true, encoding: .utf8)
        let r = try await Running(washContexts: dir)
        // The dashboard still runs on the given server, and says what was set aside.
        let (name, _) = try await r.firstHost()
        await r.expectScreen(name)
        await r.expectScreen("⚠ invalid wash context " + dir.appendingPathComponent("broken.json").path + ": line 2")
        await r.expectScreen("(using the defaults)")
        await r.stop()
    }

    @Test func startProviderFromTheFormThenStopItOnlyAfterY() async throws {
        let r = try await Running()
        let (name, hostID) = try await r.firstHost()
        await r.expectScreen(name)
        r.terminal.type("3")
        await r.expectScreen("rust_http_kv-kvredis")
        r.terminal.type("s")
        await r.expectScreen("Start provider")
        // Submitting the empty form sends nothing and says why.
        r.terminal.press(.enter)
        await r.expectScreen("an image reference is required")
        r.terminal.type("ghcr.io/wasmcloud/http-server:0.27.0")
        r.terminal.press(.tab)
        r.terminal.type("extra-http")
        r.terminal.press(.tab)
        // The host list is sorted as the Hosts pane is (name, then ID), after the auction choice.
        let hosts = await r.sim.inventories().map { ($0.friendlyName, $0.hostID) }.sorted { $0 < $1 }
        let index = try #require(hosts.firstIndex { $0.1 == hostID })
        for _ in 0...index { r.terminal.press(.right) }
        r.terminal.press(.enter)
        await r.expectScreen("✔ start provider extra-http: provider_started")
        await r.expectScreen("wash start provider ghcr.io/wasmcloud/http-server:0.27.0 extra-http --host-id \(hostID)")
        let start = try #require(await r.sim.received(.providerStart).last)
        #expect(start.target == hostID)
        #expect(start.decoded(StartProviderCommand.self)?.providerID == "extra-http")
        #expect(await r.sim.received(.providerStart).count == 1)

        await r.select(pane: "3", filter: "extra-http")
        await r.expectScreen("Providers (1)")
        r.terminal.press(.ctrl("d"))
        await r.expectScreen("Stop provider extra-http")
        #expect(r.terminal.text.contains("on host \(name) (\(hostID))"))
        r.terminal.type("n")
        await r.expectScreen("cancelled: nothing was sent")
        r.terminal.press(.ctrl("d"))
        await r.expectScreen("Stop provider?")
        r.terminal.press(.enter)
        await r.expectScreen("cancelled: nothing was sent")
        #expect(await r.sim.received(.providerStop).isEmpty)
        r.terminal.press(.ctrl("d"))
        await r.expectScreen("Stop provider?")
        r.terminal.type("y")
        await r.expectScreen("✔ stop provider extra-http: provider_stopped")
        await r.expectScreen("■ stopped (stop)")
        #expect(await r.sim.received(.providerStop).count == 1)
        let audit = r.audit()
        #expect(audit.count == 2)
        #expect(audit.first?.contains("provider.start.\(hostID)\tconfirmed") == true)
        await r.stop()
    }

    @Test func aRefusedStartKeepsTheDraftWithTheHostsMessageAndRetries() async throws {
        let r = try await Running()
        let (name, _) = try await r.firstHost()
        await r.expectScreen(name)
        await r.sim.setRule(.refuse("provider with that ID is already running"), for: .providerStart)
        r.terminal.type("3s")
        await r.expectScreen("Start provider")
        r.terminal.type("ghcr.io/wasmcloud/http-server:0.27.0")
        r.terminal.press(.tab)
        r.terminal.type("retry-me")
        r.terminal.press(.tab, .right, .enter)
        await r.expectScreen("refused by the host: provider with that ID is already running")
        // Still the form, with the draft.
        #expect(r.terminal.text.contains("retry-me"))
        #expect(r.terminal.text.contains("Fix and press enter to retry"))
        await r.sim.setRule(nil, for: .providerStart)
        r.terminal.press(.enter)
        await r.expectScreen("✔ start provider retry-me: provider_started")
        #expect(await r.sim.received(.providerStart).count == 2)
        #expect(r.audit().first?.contains("\trefused: ") == true)
        await r.stop()
    }

    @Test func timeoutAndNoRespondersAreShownAndKeepTheDraft() async throws {
        let r = try await Running(requestTimeout: .milliseconds(600))
        let (name, hostID) = try await r.firstHost()
        await r.expectScreen(name)
        await r.sim.setRule(.ignore, for: .componentScale)
        let component = try #require(await r.sim.inventories().first { $0.hostID == hostID }?.components.first)
        await r.select(pane: "2", filter: component.id)
        r.terminal.type("c")
        await r.expectScreen("Scale component \(component.id)")
        r.terminal.press(.ctrl("u"))
        r.terminal.type("4")
        r.terminal.press(.enter)
        await r.expectScreen("wadm will revert this change")
        r.terminal.type("y")
        await r.expectScreen("(timed out)")
        #expect(r.terminal.text.contains("Max instances"))
        // The host vanishes: nobody answers on its subjects any more.
        await r.sim.setRule(nil, for: .componentScale)
        #expect(await vanish(r, hostID))
        r.terminal.press(.enter)
        await r.expectScreen("wadm will revert this change")
        r.terminal.type("y")
        await r.expectScreen("no responders on wasmbus.ctl.v1.default.component.scale.")
        #expect(r.terminal.text.contains("Max instances"))
        r.terminal.press(.escape)
        await r.expectScreen("Components (")
        let audit = r.audit()
        #expect(audit.count == 2)
        #expect(audit.last?.contains("\tno-responders: ") == true)
        await r.stop()
    }

    /// Makes `hostID` vanish (no more replies) by triggering the simulator's fault until it hits that host.
    func vanish(_ r: Running, _ hostID: String) async -> Bool {
        for _ in 0..<5 where await r.sim.runningHostIDs.contains(hostID) { await r.sim.trigger(.vanishingHost) }
        return await !r.sim.runningHostIDs.contains(hostID)
    }

    @Test func scaleUpdateAndScaleToZeroWithAConfirm() async throws {
        let r = try await Running()
        let (name, hostID) = try await r.firstHost()
        await r.expectScreen(name)
        let component = try #require(await r.sim.inventories().first { $0.hostID == hostID }?.components.first)
        await r.select(pane: "2", filter: component.id)
        r.terminal.type("c")
        await r.expectScreen("Scale component \(component.id)")
        r.terminal.press(.ctrl("u"))
        r.terminal.type("9")
        r.terminal.press(.enter)
        // wadm manages the demo components: a confirm with the warning comes first.
        await r.expectScreen("wadm will revert this change")
        r.terminal.type("y")
        await r.expectScreen("✔ scale component \(component.id): component_scaled")
        await r.expectScreen("● 9 max")
        #expect(await r.sim.received(.componentScale).last?.decoded(ScaleComponentCommand.self)?.count == 9)

        await r.updateSelectedComponent(component.id, appending: "-next")
        #expect(await r.sim.received(.componentUpdate).last?.decoded(UpdateComponentCommand.self)?.newComponentRef == component.imageRef + "-next")
        r.terminal.press(.escape)
        r.terminal.type("/-next")
        r.terminal.press(.enter)
        await r.expectScreen("Components (1) /-next")
        await r.select(pane: "2", filter: component.id)

        r.terminal.type("c")
        await r.expectScreen("Scale component \(component.id)")
        r.terminal.press(.ctrl("u"))
        r.terminal.type("0")
        r.terminal.press(.enter)
        await r.expectScreen("Stop component?")
        r.terminal.type("x")
        // Cancelled: back in the form with the draft, nothing sent.
        await r.expectScreen("Max instances")
        #expect(await r.sim.received(.componentScale).count == 1)
        r.terminal.press(.enter)
        await r.expectScreen("Stop component?")
        r.terminal.type("y")
        await r.expectScreen("✔ stop component \(component.id): component_scaled")
        #expect(await r.sim.received(.componentScale).last?.decoded(ScaleComponentCommand.self)?.count == 0)
        await r.stop()
    }

    @Test func hostLabelsRefuseTheReservedPrefixAndStopHostNeedsY() async throws {
        let r = try await Running()
        let (name, hostID) = try await r.firstHost()
        await r.expectScreen(name)
        await r.select(pane: "1", filter: name)
        r.terminal.type("l")
        await r.expectScreen("Labels of host \(name)")
        r.terminal.type(", hostcore.os=mac")
        r.terminal.press(.enter)
        await r.expectScreen("the hostcore.* prefix is reserved by the host")
        #expect(await r.sim.received(.labelPut).isEmpty)
        for _ in 0..<", hostcore.os=mac".count { r.terminal.press(.backspace) }
        r.terminal.type(", rack=r7")
        r.terminal.press(.enter)
        await r.expectScreen("✔ put label rack=r7: labels_changed")
        await r.expectScreen("rack=r7")
        #expect(await r.sim.received(.labelPut).last?.decoded(HostLabel.self) == HostLabel(key: "rack", value: "r7"))

        r.terminal.press(.ctrl("d"))
        await r.expectScreen("Stop host?")
        #expect(r.terminal.text.contains("Stop host \(name) (\(hostID))"))
        r.terminal.press(.escape)
        await r.expectScreen("cancelled: nothing was sent")
        #expect(await r.sim.received(.hostStop).isEmpty)
        r.terminal.press(.ctrl("d"))
        await r.expectScreen("Stop host?")
        r.terminal.type("y")
        await r.expectScreen("✔ stop host \(hostID): host_stopped")
        await r.expectScreen("■ stopped")
        #expect(await r.sim.received(.hostStop).count == 1)
        await r.stop()
    }

    @Test func healthInspectorShowsHealthLinksSpyTrafficAndWashCommands() async throws {
        let r = try await Running()
        let (name, _) = try await r.firstHost()
        await r.expectScreen(name)
        r.terminal.type("8")
        await r.expectScreen("calls")
        try await Task.sleep(for: .seconds(1))
        await r.select(pane: "3", filter: "kvredis")
        await r.expectScreen("Providers (1) /kvredis")
        r.terminal.press(.enter)
        await r.expectScreen("health inspector")
        let screen = r.terminal.text
        for needle in ["health         ✔ healthy", "last check", "uptime", "failures       none seen", "wadm app       rust-http-kv",
                       "link           rust_http_kv-counter → rust_http_kv-kvredis", "recent messages",
                       "wash stop      wash stop provider --host-id", "wash start     wash start provider ghcr.io/wasmcloud/keyvalue-redis:0.28.2 rust_http_kv-kvredis --host-id",
                       "health check passed"] {
            #expect(screen.contains(needle), "\(needle)\n\(screen)")
        }
        // ctrl-d from the inspector stops this provider, after a confirm that names it.
        r.terminal.press(.ctrl("d"))
        await r.expectScreen("Stop provider rust_http_kv-kvredis")
        await r.expectScreen("wadm will revert this change")
        r.terminal.press(.escape)
        await r.expectScreen("cancelled: nothing was sent")
        #expect(await r.sim.received(.providerStop).isEmpty)
        await r.stop()
    }

    @Test func theSpyFollowsALatticeSwitch() async throws {
        let r = try await Running()
        let (name, _) = try await r.firstHost()
        await r.expectScreen(name)
        r.terminal.type("8")
        await r.expectScreen("Spy lattice-wide")
        r.terminal.type(":lattice elsewhere")
        r.terminal.press(.enter)
        await r.expectScreen("watching lattice elsewhere")
        // The Spy pane stays in front: it spies on the lattice now watched, not on nothing.
        await r.expectScreen("Spy lattice-wide")
        let publisher = try await NATSConnection.connect(NATSConnectionOptions(servers: [r.fixture.server.url], name: "elsewhere"))
        defer { publisher.close() }
        // Published until the pane shows it: the new spy's subscriptions start on their own time.
        let shown = Task {
            for i in 0..<100 where !Task.isCancelled {
                try? publisher.publish("elsewhere.switched-target.wrpc.0.0.1.wasi:keyvalue/store@0.2.0-draft.get",
                                       payload: Data("k".utf8), reply: "_INBOX.switched.\(i)",
                                       headers: ["source-id": "switched-source", "link-name": "default"])
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        await r.expectScreen("switched-target")
        shown.cancel()
        await r.stop()
    }

    @Test func readOnlySendsNothingWhateverKeysArePressed() async throws {
        let r = try await Running(readOnly: true)
        let (name, _) = try await r.firstHost()
        await r.expectScreen(name)
        #expect(r.terminal.text.contains("READ-ONLY"))
        let keys: [Key] = [.character("s"), .ctrl("d"), .character("c"), .character("u"), .character("l"), .character("e"),
                           .character("a"), .character("x"), .character("E"), .enter, .character("y"), .character("0"), .enter, .escape]
        for pane in "12345678" {
            r.terminal.type(String(pane))
            for key in keys { r.terminal.press(key); r.terminal.press(.character("y")); r.terminal.press(.enter) }
            r.terminal.press(.escape, .escape)
            await r.terminal.settle()
            #expect(!r.terminal.text.contains("Start provider"))
            #expect(!r.terminal.text.contains("Stop provider?"))
        }
        // The positive signal first: an effect asked for after every key above. A lattice switch
        // goes through the same effect runner, in order, on the same connection; only once it is
        // done (and its new monitor synced) is the absence of mutations checked.
        r.terminal.type(":lattice default")
        r.terminal.press(.enter)
        await r.expectScreen("watching lattice default")
        #expect(await r.sim.receivedRequests.isEmpty)
        #expect(r.audit().isEmpty)
        await r.stop()
    }
}
