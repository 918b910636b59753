import Foundation
import LatticeProtocol
import LatticeState
import Testing

/// Provider health with the host's real 1.x semantics (protocol notes §3).
@Suite struct ProviderHealthTests {
    let h = In.h1
    let p = "kv-provider"

    func health(_ inputs: [LatticeInput]) -> ProviderHealth? {
        LatticeState(inputs).hosts[h]?.providers[p]?.health
    }

    @Test func passedFailedAndStatusTransitions() {
        var state = LatticeState([In.providerStarted(h, p, at: 0)])
        #expect(state.hosts[h]?.providers[p]?.health == .pending)
        state.apply(In.health(.passed, h, p, at: 5))
        #expect(state.hosts[h]?.providers[p]?.health == .healthy(since: TestTime.at(5)))
        state.apply(In.health(.status, h, p, at: 35))
        #expect(state.hosts[h]?.providers[p]?.health == .healthy(since: TestTime.at(5)), "status = same as last probe")
        state.apply(In.health(.failed, h, p, at: 65))
        #expect(state.hosts[h]?.providers[p]?.health == .unhealthy(since: TestTime.at(65)))
        state.apply(In.health(.status, h, p, at: 95))
        #expect(state.hosts[h]?.providers[p]?.health == .unhealthy(since: TestTime.at(65)))
        state.apply(In.health(.passed, h, p, at: 125))
        #expect(state.hosts[h]?.providers[p]?.health == .healthy(since: TestTime.at(125)))
        #expect(state.hosts[h]?.providers[p]?.history.map(\.kind) == [
            .started(imageRef: "ghcr.io/test/kv-provider:1.0"), .healthPassed, .healthFailed, .healthPassed,
        ])
    }

    /// The host's "previous" starts unhealthy, so a provider unhealthy from its first probe only
    /// ever sends `health_check_status`: it must never look healthy.
    @Test func unhealthyFromTheFirstProbeNeverShowsHealthy() {
        var state = LatticeState([In.providerStarted(h, p, at: 0)])
        for probe in 0..<10 {
            state.apply(In.health(.status, h, p, at: 5 + Double(probe) * 30))
            state.apply(In.tick(6 + Double(probe) * 30))
            let health = state.hosts[h]?.providers[p]?.health
            #expect(health?.isHealthy == false)
            #expect(health == .notReportedHealthy(lastReport: TestTime.at(5 + Double(probe) * 30), startObserved: true))
        }
        #expect(state.unhealthyProviderCount == 1)
    }

    @Test func statusWithoutAnyPriorStateIsNotHealthy() {
        // Joined mid-stream: the provider is known from an inventory only.
        let state = LatticeState([
            In.heartbeat(h, at: 0, providers: [In.provider(p)]),
            In.health(.status, h, p, at: 10),
        ])
        let health = state.hosts[h]?.providers[p]?.health
        #expect(health == .notReportedHealthy(lastReport: TestTime.at(10), startObserved: false))
        #expect(health?.isHealthy == false)
        #expect(state.unhealthyProviderCount == 0, "unknown, not known bad")
    }

    @Test func hungProviderGoesStaleAfterTheThreshold() {
        var state = LatticeState([In.providerStarted(h, p, at: 0), In.health(.passed, h, p, at: 5)])
        state.apply(In.tick(70))
        #expect(state.hosts[h]?.providers[p]?.health == .healthy(since: TestTime.at(5)), "64.9 s after the report arrived at 5.1")
        state.apply(In.tick(70.2))
        #expect(state.hosts[h]?.providers[p]?.health
            == .stale(lastReport: TestTime.at(5), lastVerdict: HealthVerdict(healthy: true, at: TestTime.at(5))))
        #expect(state.unhealthyProviderCount == 1)
        // A report brings it back.
        state.apply(In.health(.status, h, p, at: 80))
        #expect(state.hosts[h]?.providers[p]?.health == .healthy(since: TestTime.at(5)))
    }

    @Test func noReportAtAllAfterStartGoesStale() {
        var state = LatticeState([In.providerStarted(h, p, at: 0)])
        state.apply(In.tick(60))
        #expect(state.hosts[h]?.providers[p]?.health == .pending)
        state.apply(In.tick(66))
        #expect(state.hosts[h]?.providers[p]?.health == .stale(lastReport: nil, lastVerdict: nil))
    }

    @Test func thresholdIsASetting() {
        var state = LatticeState([In.providerStarted(h, p, at: 0)],
                                 configuration: LatticeStateConfiguration(providerHealthStaleAfter: 10))
        state.apply(In.tick(11))
        #expect(state.hosts[h]?.providers[p]?.health == .stale(lastReport: nil, lastVerdict: nil))
    }

    @Test func aRestartForgetsTheOldVerdict() {
        let health = health([
            In.providerStarted(h, p, at: 0), In.health(.passed, h, p, at: 5),
            In.providerStopped(h, p, at: 10), In.providerStarted(h, p, at: 20),
        ])
        #expect(health == .pending)
    }

    @Test func theLatestVerdictByEventTimeWinsWhateverTheArrivalOrder() {
        let started = In.providerStarted(h, p, at: 0)
        let passed = In.health(.passed, h, p, at: 5)
        let failed = In.health(.failed, h, p, at: 35)
        #expect(health([started, failed, passed]) == .unhealthy(since: TestTime.at(35)))
        #expect(health([passed, failed, started]) == .unhealthy(since: TestTime.at(35)))
    }

    @Test func builtinProvidersAreNotProbed() {
        let health = health([In.providerStarted(h, p, at: 0, image: "wasmcloud+builtin://http-server"), In.tick(300)])
        #expect(health == .notProbed)
    }

    @Test func historyIsBounded() throws {
        var inputs = [In.providerStarted(h, p, at: 0)]
        for flip in 1...120 { inputs.append(In.health(flip.isMultiple(of: 2) ? .failed : .passed, h, p, at: Double(flip) * 30)) }
        let provider = try #require(LatticeState(inputs).hosts[h]?.providers[p])
        #expect(provider.history.count == 50)
        #expect(provider.history.last?.time == TestTime.at(3600))
        #expect(provider.history.first?.time == TestTime.at(71 * 30))
        #expect(provider.history.map(\.time) == provider.history.map(\.time).sorted())
        let small = try #require(LatticeState(inputs, configuration: LatticeStateConfiguration(providerHistoryCapacity: 3)).hosts[h]?.providers[p])
        #expect(small.history.map(\.kind) == [.healthFailed, .healthPassed, .healthFailed], "flips 118, 119, 120")
    }

    @Test func failedStartIsVisibleThenExpires() {
        var state = LatticeState([In.heartbeat(h, at: 0), In.startFailed(h, p, error: "no such image", at: 10)])
        #expect(state.hosts[h]?.providers[p]?.status == .failedToStart(error: "no such image", at: TestTime.at(10)))
        #expect(state.hosts[h]?.providers[p]?.needsAttention == true)
        state.apply(In.heartbeat(h, at: 30))
        #expect(state.hosts[h]?.providers[p]?.status == .failedToStart(error: "no such image", at: TestTime.at(10)),
                "an inventory without it does not erase why it is not there")
        state.apply(In.tick(309.9))
        #expect(state.hosts[h]?.providers[p] != nil)
        state.apply(In.tick(310.5))
        #expect(state.hosts[h]?.providers[p] == nil)
    }

    @Test func aStartFailureDoesNotStopARunningProvider() {
        let state = LatticeState([In.providerStarted(h, p, at: 0), In.startFailed(h, p, error: "already running", at: 10)])
        #expect(state.hosts[h]?.providers[p]?.status == .running)
        #expect(state.hosts[h]?.providers[p]?.lastStartFailure?.error == "already running")
    }

    @Test func vanishedFromTheInventoryWithoutAStopEvent() {
        let state = LatticeState([
            In.heartbeat(h, at: 0, providers: [In.provider(p)]), In.health(.passed, h, p, at: 5),
            In.heartbeat(h, at: 30),
        ])
        #expect(state.hosts[h]?.providers[p]?.status == .notInInventory(since: TestTime.at(30)))
        #expect(state.hosts[h]?.providers[p]?.health == .notRunning)
        #expect(state.hosts[h]?.providers[p]?.history.map(\.kind) == [.healthPassed], "why and when stay visible")
    }
}
