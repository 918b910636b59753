import Foundation
import LatticeProtocol
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// While the first sync streams in, frames for new data come paced and the header says the sync
/// is under way; once every host known has its inventory, the pace ends (the first full
/// picture is drawn at once). Benchmarks/README.md, "First full picture … `first11`".
@Suite struct FirstSyncPacingTests {
    static let base = Date(timeIntervalSince1970: 1_748_779_200)

    static func ping(_ h: Int, at: Date) -> LatticeInput {
        .hostPinged(HostInfo(id: SyncBenchmarkTests.hostID(h), friendlyName: "host-\(h)", lattice: "default", uptimeSeconds: 60),
                    syncID: 1, at: at)
    }

    static func inventory(_ h: Int, at: Date) -> LatticeInput {
        .inventory(HostInventory(components: [], providers: [], hostID: SyncBenchmarkTests.hostID(h), friendlyName: "host-\(h)",
                                 labels: [:], version: "1.9.2", uptimeHuman: "", uptimeSeconds: 60), syncID: 1, at: at)
    }

    /// A dashboard whose first sync started, `hosts` hosts answered its ping, the first
    /// `inventoried` of them sent their inventory.
    static func syncing(hosts: Int, inventoried: Int) -> Dashboard {
        var dashboard = Dashboard(lattice: "default", server: "nats://127.0.0.1:4222", context: nil)
        var inputs: [LatticeInput] = [.connection(.connected(server: "nats://127.0.0.1:4222"), at: base), .syncStarted(id: 1, at: base)]
        inputs += (0..<hosts).map { ping($0, at: base + 0.1) }
        inputs += (0..<inventoried).map { inventory($0, at: base + 0.2) }
        _ = dashboard.apply(inputs)
        return dashboard
    }

    @Test func framesArePacedWhileTheFirstSyncStreamsIn() {
        #expect(DashboardLoop.framePace(LatticeState()) == nil, "no sync")
        // 3,000 hosts: 0.3 s of rows at 10,000 rows a second, at most 250 ms.
        var dashboard = Self.syncing(hosts: 3_000, inventoried: 2_999)
        #expect(DashboardLoop.framePace(dashboard.state) == .milliseconds(250))
        // Every host known has its inventory: the full picture is due at once.
        _ = dashboard.apply([Self.inventory(2_999, at: Self.base + 0.3)])
        #expect(DashboardLoop.framePace(dashboard.state) == nil)
        // A host more answers the ping: paced again until its inventory comes.
        _ = dashboard.apply([Self.ping(3_000, at: Self.base + 0.4)])
        #expect(DashboardLoop.framePace(dashboard.state) == .milliseconds(250))
        // The first sync over, frames are not paced (a resync's inventories repeat what is known).
        _ = dashboard.apply([.syncFinished(id: 1, hostsAnswered: [], complete: true, at: Self.base + 2),
                             .syncStarted(id: 2, at: Self.base + 3), Self.ping(3_001, at: Self.base + 3.1)])
        #expect(DashboardLoop.framePace(dashboard.state) == nil)
        // A small lattice: as far apart as its rows take to build (here less than a frame).
        #expect(DashboardLoop.framePace(Self.syncing(hosts: 100, inventoried: 10).state) == .milliseconds(10))
    }

    @Test func theHeaderSaysTheFirstSyncIsUnderWay() {
        var dashboard = Self.syncing(hosts: 3, inventoried: 1)
        let header = dashboard.header(now: Self.base + 1)
        #expect(header.syncing == "⟳ syncing 1/3 inventoried")
        var canvas = Canvas(width: 200, height: 1)
        Screen.drawHeader(header, app: AppState(), on: &canvas, y: 0, width: 200, theme: .default)
        #expect(canvas.lines()[0].contains("│ ⟳ syncing 1/3 inventoried │"))
        _ = dashboard.apply([Self.inventory(1, at: Self.base + 0.5), Self.inventory(2, at: Self.base + 0.5)])
        #expect(dashboard.header(now: Self.base + 1).syncing == "⟳ syncing 3/3 inventoried")
        _ = dashboard.apply([.syncFinished(id: 1, hostsAnswered: [], complete: true, at: Self.base + 2)])
        #expect(dashboard.header(now: Self.base + 3).syncing == nil)
        // A resync is not announced (the model already shows every host).
        _ = dashboard.apply([.syncStarted(id: 2, at: Self.base + 4)])
        #expect(dashboard.header(now: Self.base + 5).syncing == nil)
    }
}
