import Foundation
import LatticeMonitor
import LatticeProtocol
import LatticeState
import Testing
@testable import LatticeTop

/// Inputs for the hand-over tests: seconds after 2025-06-01T12:00:00Z.
enum HandOverInputs {
    static func at(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: 1_748_779_200 + seconds) }

    /// A heartbeat of `host` listing `providers`, published and arrived at `seconds`.
    static func heartbeat(_ host: String, at seconds: TimeInterval, providers: [String] = []) -> LatticeInput {
        let inventory = HostInventory(components: [], providers: providers.map { ProviderDescription(id: $0, imageRef: "ghcr.io/test/\($0):1.0", name: $0) },
                                      hostID: host, friendlyName: "name-\(host)", labels: [:], version: "1.9.2",
                                      uptimeHuman: "\(Int(seconds))s", uptimeSeconds: UInt64(max(0, seconds)))
        return .event(LatticeEvent.make(.hostHeartbeat(inventory), source: host, time: at(seconds)), at: at(seconds))
    }
}

/// The loop's tick never runs ahead of what it has taken from the hand-over (issue #14): while
/// the loop lags, a host whose heartbeat waits in the hand-over is not judged silent.
@Suite struct LoopTickTests {
    typealias I = HandOverInputs

    @Test func aHostWhoseHeartbeatWaitsBehindTheLagIsNotStale() {
        var state = LatticeState()
        state.apply(I.heartbeat("NHOSTONE", at: 0))
        let handOver = BatchQueue<LatticeInput>()
        // Arrived at 60 and 62; the loop, 15 s behind, takes them only after its tick at 75.
        handOver.push([I.heartbeat("NHOSTONE", at: 60), I.heartbeat("NHOSTTWO", at: 62)])
        let now = I.at(75)
        let tick = DashboardLoop.tick(now: now, handOver: handOver)
        #expect(tick == .tick(I.at(60)), "the arrival of the oldest input still waiting")
        state.apply(tick)
        #expect(state.hosts["NHOSTONE"]?.liveness == .live, "75 s after its last heartbeat taken, but the next one waits")
        // Caught up: the tick is wall time again.
        state.apply(contentsOf: handOver.drain())
        let caughtUp = DashboardLoop.tick(now: now, handOver: handOver)
        #expect(caughtUp == .tick(now))
        state.apply(caughtUp)
        #expect(state.now == now)
        #expect(state.hosts["NHOSTONE"]?.liveness == .live)
        #expect(state.hosts["NHOSTTWO"]?.liveness == .live)
    }

    @Test func aSilentHostIsStillStaleWhenNothingWaits() {
        var state = LatticeState()
        state.apply(I.heartbeat("NHOSTONE", at: 0))
        let handOver = BatchQueue<LatticeInput>()
        state.apply(DashboardLoop.tick(now: I.at(75), handOver: handOver))
        #expect(state.hosts["NHOSTONE"]?.liveness == .stale(since: I.at(0), reason: .noHeartbeat))
        // An input stamped later than the loop's clock (another clock's time) never moves the tick forward.
        handOver.push(I.heartbeat("NHOSTTWO", at: 90))
        #expect(DashboardLoop.tick(now: I.at(80), handOver: handOver) == .tick(I.at(80)))
    }
}
