import Foundation
import LatticeProtocol
import LatticeState
import Testing

/// latticetop's own health probes folded with the host's health events: one run of verdicts,
/// each fact stamped with its source.
@Suite struct ProviderProbeTests {
    let h = In.h1
    let p = "kv-provider"

    func probe(_ outcome: ProbeOutcome, _ provider: String? = nil, at time: TimeInterval) -> LatticeInput {
        .healthProbe(providerID: provider ?? p, outcome: outcome, at: TestTime.at(time))
    }

    func record(_ state: LatticeState) throws -> ProviderRecord {
        try #require(state.hosts[h]?.providers[p])
    }

    /// Started before latticetop: only "unchanged" reports, so unknown — until the first probe answers.
    @Test func aProbeAnswerEndsUnknown() throws {
        var state = LatticeState([In.heartbeat(h, at: 0, providers: [In.provider(p)]), In.health(.status, h, p, at: 10)])
        #expect(try record(state).health == .notReportedHealthy(lastReport: TestTime.at(10), startObserved: false))
        state.apply(probe(.unhealthy(message: "redis: connection refused"), at: 12))
        let r = try record(state)
        #expect(r.health == .unhealthy(since: TestTime.at(12)))
        #expect(r.healthMessage == "redis: connection refused")
        #expect(r.healthSource == .probe)
        #expect(r.needsAttention)
        #expect(state.unhealthyProviderCount == 1)
    }

    @Test func timeoutAndNoRespondersAreTheirOwnStates() throws {
        var state = LatticeState([In.providerStarted(h, p, at: 0), probe(.healthy(message: nil), at: 5)])
        #expect(try record(state).health == .healthy(since: TestTime.at(5)))
        state.apply(probe(.notAnswering, at: 35))
        #expect(try record(state).health == .notAnswering(since: TestTime.at(35)))
        state.apply(probe(.notAnswering, at: 65))
        #expect(try record(state).health == .notAnswering(since: TestTime.at(35)), "the spell began at the first timeout")
        state.apply(probe(.noHealthEndpoint, at: 95))
        #expect(try record(state).health == .noHealthEndpoint(since: TestTime.at(95)))
        #expect(try record(state).needsAttention)
        state.apply(probe(.healthy(message: "ok"), at: 125))
        #expect(try record(state).health == .healthy(since: TestTime.at(125)))
        #expect(try record(state).healthMessage == "ok")
    }

    /// The host's verdict and the probe's answer are one run: agreeing facts keep `since`, the
    /// latest one names the source, a disagreeing one starts a new run.
    @Test func hostEventsAndProbesAreOneRun() throws {
        var state = LatticeState([In.providerStarted(h, p, at: 0), In.health(.passed, h, p, at: 5)])
        #expect(try record(state).healthSource == .hostEvent)
        state.apply(probe(.healthy(message: nil), at: 20))
        #expect(try record(state).health == .healthy(since: TestTime.at(5)))
        #expect(try record(state).healthSource == .probe)
        state.apply(In.health(.failed, h, p, at: 35))
        #expect(try record(state).health == .unhealthy(since: TestTime.at(35)))
        #expect(try record(state).healthSource == .hostEvent)
        state.apply(probe(.unhealthy(message: "disk full"), at: 50))
        #expect(try record(state).health == .unhealthy(since: TestTime.at(35)))
        #expect(try record(state).healthMessage == "disk full")
        // A verdict older than the run's latest changes nothing.
        state.apply(In.health(.passed, h, p, at: 40, arrival: 51))
        #expect(try record(state).health == .unhealthy(since: TestTime.at(35)))
    }

    /// A host verdict after a probe that got no answer wins; a probe timeout after a verdict wins.
    @Test func theLaterOfVerdictAndSilenceWins() throws {
        var state = LatticeState([In.providerStarted(h, p, at: 0), probe(.notAnswering, at: 10)])
        #expect(try record(state).health == .notAnswering(since: TestTime.at(10)))
        state.apply(In.health(.passed, h, p, at: 20))
        #expect(try record(state).health == .healthy(since: TestTime.at(20)))
        state.apply(probe(.notAnswering, at: 40))
        #expect(try record(state).health == .notAnswering(since: TestTime.at(40)), "a new spell after the answer")
    }

    @Test func answeredProbesKeepAProviderFromGoingStale() throws {
        var state = LatticeState([In.providerStarted(h, p, at: 0)])
        for t in stride(from: 5.0, through: 305, by: 30) {
            state.apply(probe(.healthy(message: nil), at: t))
            state.apply(In.tick(t + 20))
        }
        #expect(try record(state).health == .healthy(since: TestTime.at(5)), "no host event for 300 s, but it answers")
        state.apply(In.tick(400))
        #expect(try record(state).health == .stale(lastReport: nil, lastVerdict: HealthVerdict(healthy: true, at: TestTime.at(305))))
    }

    @Test func aRestartForgetsEarlierProbes() throws {
        let state = LatticeState([
            In.providerStarted(h, p, at: 0), probe(.notAnswering, at: 10),
            In.providerStopped(h, p, at: 20), In.providerStarted(h, p, at: 30),
        ])
        #expect(try record(state).health == .pending)
        #expect(try record(state).healthSource == nil)
    }

    @Test func builtinAndUnknownProvidersAreUntouched() throws {
        let builtin = "http"
        let state = LatticeState([
            In.providerStarted(h, builtin, at: 0, image: "wasmcloud+builtin://http-server"),
            probe(.notAnswering, builtin, at: 5),
            probe(.healthy(message: nil), "never-seen", at: 6),
        ])
        #expect(state.hosts[h]?.providers[builtin]?.health == .notProbed)
        #expect(state.hosts.values.allSatisfy { $0.providers["never-seen"] == nil }, "a probe creates no provider")
        #expect(state.probeTargets.isEmpty, "builtin providers are never probed")
    }

    /// One line per spell in the timeline and the Events pane, each with its source.
    @Test func theTimelineShowsBothSourcesOncePerSpell() throws {
        let state = LatticeState([
            In.providerStarted(h, p, at: 0), In.health(.passed, h, p, at: 5),
            probe(.healthy(message: nil), at: 6), probe(.healthy(message: nil), at: 36),
            probe(.unhealthy(message: "x"), at: 66), probe(.unhealthy(message: "y"), at: 96),
            In.health(.failed, h, p, at: 70), probe(.notAnswering, at: 126),
        ])
        let history = try record(state).history
        #expect(history.map(\.kind) == [
            .started(imageRef: "ghcr.io/test/kv-provider:1.0"), .healthPassed, .probed(.healthy(message: nil)),
            .probed(.unhealthy(message: "x")), .healthFailed, .probed(.notAnswering),
        ])
        #expect(history.map(\.source) == [nil, .hostEvent, .probe, .probe, .hostEvent, .probe])
        let lines = state.eventLog.elements.filter { $0.kind == LatticeState.probeLogKind }
        #expect(lines.map(\.summary) == [
            "provider kv-provider healthy (latticetop probe)",
            "provider kv-provider unhealthy: x (latticetop probe)",
            "provider kv-provider not answering health probe (latticetop probe)",
        ])
        #expect(lines.map(\.severity) == [.info, .warning, .warning])
    }

    /// A provider ID on two hosts is one probe subject: the answer applies to both.
    @Test func oneAnswerForAProviderOnSeveralHosts() {
        let state = LatticeState([
            In.providerStarted(In.h1, p, at: 0), In.providerStarted(In.h2, p, at: 0),
            In.providerStarted(In.h2, "other", at: 0), In.providerStopped(In.h2, "other", at: 1),
            probe(.unhealthy(message: nil), at: 5),
        ])
        #expect(state.hosts[In.h1]?.providers[p]?.health == .unhealthy(since: TestTime.at(5)))
        #expect(state.hosts[In.h2]?.providers[p]?.health == .unhealthy(since: TestTime.at(5)))
        #expect(state.probeTargets == [p], "running binary providers, once each")
    }

    @Test func outcomeWords() {
        #expect([ProbeOutcome.healthy(message: nil), .unhealthy(message: "m"), .notAnswering, .noHealthEndpoint].map(\.word)
            == ["healthy", "unhealthy", "not answering", "no health endpoint"])
        #expect(ProbeOutcome.unhealthy(message: "m").summary == "unhealthy: m")
        #expect(ProbeOutcome.notAnswering.summary == "not answering health probe")
    }

    /// A run of probe results in one batch (one look-up of the hosts running each provider) ends
    /// in the same state, Events lines in the same order, as the results one by one.
    @Test func aBatchOfProbeResultsIsTheResultsOneByOne() throws {
        let start: [LatticeInput] = [
            In.heartbeat(In.h1, at: 0, providers: [In.provider("a"), In.provider("b")]),
            In.heartbeat(In.h2, at: 0, providers: [In.provider("b")]),
            In.heartbeat(In.h3, at: 0, providers: [In.provider("c")]),
        ]
        let probes: [LatticeInput] = [
            probe(.healthy(message: nil), "a", at: 5), probe(.unhealthy(message: "x"), "b", at: 6), probe(.notAnswering, "c", at: 7),
            probe(.healthy(message: nil), "nowhere", at: 8), probe(.healthy(message: nil), "b", at: 9),
            In.heartbeat(In.h3, at: 10, providers: [In.provider("c"), In.provider("a")]),
            probe(.noHealthEndpoint, "a", at: 11), probe(.unhealthy(message: "y"), "c", at: 12),
        ]
        var oneByOne = LatticeState(start)
        for input in probes { oneByOne.apply(input) }
        var batched = LatticeState(start)
        batched.apply(contentsOf: probes)
        #expect(batched == oneByOne)
        #expect(batched.eventLog.elements.map(\.summary) == oneByOne.eventLog.elements.map(\.summary))
        // The probe after the heartbeat reached the provider the heartbeat added on the third host.
        #expect(batched.hosts[In.h3]?.providers["a"]?.health == .noHealthEndpoint(since: TestTime.at(11)))
        #expect(batched.hosts[In.h2]?.providers["b"]?.health == oneByOne.hosts[In.h2]?.providers["b"]?.health)
    }

    /// One probe reaches every host running the provider (and none other), logged in host-ID
    /// order, among hosts with many providers (looked up) and few (compared in turn).
    @Test func aProbeReachesEveryHostRunningTheProviderInHostOrder() throws {
        let many = (0..<12).map { In.provider("other-\($0)") } + [In.provider(p)]
        var state = LatticeState([
            In.heartbeat("NHOSTC", at: 0, providers: [In.provider(p)]),
            In.heartbeat("NHOSTA", at: 0, providers: many),
            In.heartbeat("NHOSTB", at: 0, providers: [In.provider("something-else")]),
        ])
        state.apply(probe(.unhealthy(message: "down"), at: 5))
        #expect(state.hosts["NHOSTA"]?.providers[p]?.health == .unhealthy(since: TestTime.at(5)))
        #expect(state.hosts["NHOSTC"]?.providers[p]?.health == .unhealthy(since: TestTime.at(5)))
        #expect(state.hosts["NHOSTB"]?.providers[p] == nil && state.hosts["NHOSTB"]?.providers.count == 1)
        let probed = state.eventLog.elements.filter { $0.kind == LatticeState.probeLogKind }.map(\.hostID)
        #expect(probed == ["NHOSTA", "NHOSTC"], "\(probed)")
    }
}
