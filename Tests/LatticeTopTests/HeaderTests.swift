import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// The header names the server in every state, abbreviated when the screen is narrow.
@Suite struct HeaderTests {
    @Test func theServerIsNamedWithoutSchemeOrCredentials() {
        #expect(HeaderInfo.serverName("nats://127.0.0.1:4222") == "127.0.0.1:4222")
        #expect(HeaderInfo.serverName("tls://user:secret@nats.example.com:4222") == "nats.example.com:4222")
        #expect(HeaderInfo.serverName("nats://a.example:4222,nats://b.example:4222, nats://c.example:4222") == "a.example:4222 +2")
        #expect(HeaderInfo.serverName("") == "")
    }

    @Test func aLongDNSNameIsAbbreviatedToItsFirstLabelAndPort() {
        #expect(HeaderInfo.abbreviatedServerName("nats://nats-0.nats.wasmcloud-system.svc.cluster.local:4222") == "nats-0…:4222")
        #expect(HeaderInfo.abbreviatedServerName("nats://a.example:4222,nats://b.example:4222") == "a…:4222 +1")
        // Addresses and single labels stay whole.
        for whole in ["nats://127.0.0.1:4222", "nats://[::1]:4222", "nats://localhost:4222"] {
            #expect(HeaderInfo.abbreviatedServerName(whole) == HeaderInfo.serverName(whole))
        }
    }

    static func headerLine(_ header: HeaderInfo, width: Int) -> String {
        let view = PaneView(title: "Hosts", columns: [TableColumn("NAME")], rows: [])
        return Screen.render(app: AppState(contextName: "prod-eu"), header: header, view: view, size: Size(width: width, height: 12),
                             theme: .default, now: Date()).lines()[0]
    }

    @Test func at90ColumnsTheHeaderNamesTheServerAbbreviatedConnectedOrNot() {
        let long = "nats://nats-0.nats.wasmcloud-system.svc.cluster.local:4222"
        let connected = HeaderInfo(context: "prod-eu", lattice: "default", server: String(long.dropFirst(7)), connection: "connected",
                                   connected: true, rttMilliseconds: 1.2, hosts: 5, components: 6, providers: 4, links: 4)
        let narrow = Self.headerLine(connected, width: 90)
        #expect(narrow.hasPrefix("ctx prod-eu │ lattice default │ ● connected nats-0…:4222 1.2ms │ ✔ all healthy │ hosts 5"), "\(narrow)")
        let wide = Self.headerLine(connected, width: 200)
        #expect(wide.hasPrefix("latticetop │ ctx prod-eu │ lattice default │ ● connected nats-0.nats.wasmcloud-system.svc.cluster.local:4222 1.2ms"),
                "\(wide)")
        let lost = HeaderInfo(context: "prod-eu", lattice: "default", server: long + ",nats://nats-1.nats:4222", connection: "RECONNECTING (#3)",
                              connected: false, rttMilliseconds: 1.2)
        let down = Self.headerLine(lost, width: 90)
        #expect(down.hasPrefix("ctx prod-eu │ lattice default │ ○ RECONNECTING (#3) nats-0…:4222 +1 │ ✔ all healthy"), "\(down)")
        #expect(!down.contains("ms │"), "no round-trip time while disconnected: \(down)")
    }

    @Test func aFailedLinkListingIsABannerUntilAListingComes() {
        let at = Date(timeIntervalSince1970: 1_750_000_000)
        var dashboard = Dashboard(state: LatticeState(), lattice: "default", server: "nats://127.0.0.1:4222", context: nil)
        dashboard.state.apply(.connection(.connected(server: "nats://127.0.0.1:4222"), at: at))
        #expect(dashboard.header(now: at).banner == nil)
        // Another step's failure is not about the links.
        dashboard.state.apply(.syncFailed(step: "host.get NHOST", message: "timed out waiting for a reply on x", at: at))
        #expect(dashboard.header(now: at).banner == nil)

        dashboard.state.apply(.syncFailed(step: "link.get", message: "timed out waiting for a reply on wasmbus.ctl.v1.default.link.get",
                                          at: at))
        let banner = dashboard.header(now: at).banner ?? ""
        #expect(banner.hasPrefix("links not listed: timed out waiting for a reply on wasmbus.ctl.v1.default.link.get — "), "\(banner)")
        #expect(banner.contains("max_payload"), "\(banner)")
        // A refusal is said as it is, without the hint about sizes.
        dashboard.state.apply(.syncFailed(step: "link.get", message: "refused: no", at: at))
        #expect(dashboard.header(now: at).banner == "links not listed: refused: no")

        let link = Link(sourceID: "a", target: "b", witNamespace: "wasi", witPackage: "http", interfaces: ["incoming-handler"])
        dashboard.state.apply(.links([link], syncID: 2, at: at.addingTimeInterval(1)))
        #expect(dashboard.header(now: at).banner == nil)
        // A lost connection says so first.
        dashboard.state.apply(.syncFailed(step: "link.get", message: "refused: no", at: at.addingTimeInterval(2)))
        dashboard.state.apply(.connection(.reconnecting(attempt: 1), at: at.addingTimeInterval(3)))
        #expect(dashboard.header(now: at).banner?.hasPrefix("NATS connection lost") == true)
    }
    /// The header's message rate counts the events, undecodable messages and v2 heartbeats that
    /// arrived in the last 5 s (not a sync's replies nor ticks), whatever batches they came in.
    @Test func theMessageRateCountsWhatArrivedInTheLastFiveSeconds() {
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        let inventory = HostInventory(components: [], providers: [], hostID: "NA", friendlyName: "a", labels: [:], version: "1.9.2",
                                      uptimeHuman: "", uptimeSeconds: 1)
        let beat = { (t: TimeInterval) -> LatticeInput in
            .event(LatticeEvent.make(.hostHeartbeat(inventory), source: "NA", time: base + t), at: base + t)
        }
        var dashboard = Dashboard(lattice: "default", server: "nats://127.0.0.1:4222", context: nil)
        _ = dashboard.apply([.syncStarted(id: 1, at: base), beat(0), beat(1)])
        _ = dashboard.apply([.hostPinged(HostInfo(id: "NB", friendlyName: "b", lattice: "default", uptimeSeconds: 1), syncID: 1, at: base + 2),
                             .undecodable(subject: "wasmbus.evt.default.x", reason: "bad", raw: Data("{".utf8), at: base + 2),
                             beat(3), .tick(base + 3)])
        _ = dashboard.apply([beat(4)])
        #expect(dashboard.header(now: base + 4).messagesPerSecond == 5.0 / 5)
        #expect(dashboard.header(now: base + 5.5).messagesPerSecond == 4.0 / 5, "the first beat is over 5 s old")
        _ = dashboard.apply([beat(12)])
        #expect(dashboard.header(now: base + 12).messagesPerSecond == 1.0 / 5, "older arrivals dropped")
    }
}
