import Foundation
import LatticeProtocol
import NATSKit
import Testing
import TerminalUI
@testable import LatticeTop

/// Time travel through the whole dashboard (monitor, UI loop, effects) on a scripted terminal
/// against the simulator on a real nats-server: a provider that crashed a minute ago is shown
/// stopped live, running when travelled back to before the crash, and esc comes back.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct TimeTravelDashboardTests {
    @Test func travellingBackBeforeACrashShowsTheProviderRunning() async throws {
        try await FaultDashboardTests.withDashboard { fixture, app in
            await app.pane("3")
            await app.expectScreen("Providers (")
            // A host of our own: it starts, its provider starts and is healthy, then crashes.
            let publisher = try await NATSConnection.connect(NATSConnectionOptions(servers: [fixture.server.url], name: "travel"))
            defer { publisher.close() }
            let host = "NTRAVELHOSTAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            let now = Date()
            let history: [(LatticeEventPayload, TimeInterval)] = [
                (.hostStarted(HostStartedEvent(friendlyName: "travel-host", labels: [:], version: "1.9.2")), -120),
                (.providerStarted(ProviderStartedEvent(hostID: host, imageRef: "ghcr.io/x/crashy:1", providerID: "kv-crashy")), -100),
                (.healthCheckPassed(HealthCheckEvent(hostID: host, providerID: "kv-crashy")), -90),
                (.providerStopped(ProviderStoppedEvent(hostID: host, providerID: "kv-crashy", reason: "crashed")), -50),
            ]
            for (payload, offset) in history {
                let event = LatticeEvent.make(payload, source: host, time: now + offset, id: UUID().uuidString)
                try publisher.publish(try #require(event.subject(lattice: "default")), payload: try event.encoded())
            }
            try publisher.flush(timeout: .seconds(5))
            app.terminal.type("/crashy")
            app.terminal.press(.enter)
            await app.expectScreen("Providers (1) /crashy")
            let live = try #require(app.terminal.text.split(separator: "\n").first { $0.contains("kv-crashy") })
            #expect(!live.contains("healthy"), "live, the provider is down: \(live)")
            #expect(!app.terminal.text.contains("⏪"))

            // Back to 70 s ago: between its health check and the crash.
            app.terminal.type(":at -70s")
            app.terminal.press(.enter)
            await app.expectScreen("⏪ AT ")
            await app.expectScreen("healthy")
            let then = try #require(app.terminal.text.split(separator: "\n").first { $0.contains("kv-crashy") })
            #expect(then.contains("healthy") && !then.contains("UNHEALTHY"), "before the crash it ran: \(then)")
            // No key changes the lattice in the past: ctrl-d (stop provider) asks nothing.
            app.terminal.press(.ctrl("d"))
            await app.terminal.settle()
            #expect(!app.terminal.text.contains("Stop provider"), "\(app.terminal.text)")

            // `]` steps forward to the next recorded change (the crash), esc comes back live.
            app.terminal.type("]")
            await app.terminal.settle()
            app.terminal.press(.escape)
            await app.expectGone("⏪ AT ")
            let back = try #require(app.terminal.text.split(separator: "\n").first { $0.contains("kv-crashy") })
            #expect(!back.contains("healthy"), "live again: \(back)")
        }
    }
}
