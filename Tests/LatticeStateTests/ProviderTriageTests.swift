import Foundation
import LatticeProtocol
import LatticeState
import Testing

/// The triage fold (issue #13 item 6): per provider on a host, crashes (silence while listed),
/// failed starts and unhealthy spells within the window, and the flapping finding. Pure.
@Suite struct ProviderTriageTests {
    static let config = LatticeStateConfiguration(providerHealthStaleAfter: 65, triageWindow: 3600, flappingIncidents: 3, flappingSpan: 600)
    let h = In.h1
    let p = "kv"

    /// A host heartbeat listing the provider every 30 s from `from` to `to`.
    func heartbeats(_ from: TimeInterval, _ to: TimeInterval) -> [LatticeInput] {
        stride(from: from, through: to, by: 30).map { In.heartbeat(h, at: $0, providers: [In.provider(p)]) }
    }

    /// Health reports every 30 s (`passed` first, then `status`) from `from` to `to`.
    func healthy(_ from: TimeInterval, _ to: TimeInterval, first: In.Health = .passed) -> [LatticeInput] {
        stride(from: from, through: to, by: 30).enumerated().map { i, t in In.health(i == 0 ? first : .status, h, p, at: t) }
    }

    func state(_ inputs: [LatticeInput]) -> LatticeState {
        var s = LatticeState(configuration: Self.config)
        s.apply(contentsOf: inputs.sorted { $0.at < $1.at })
        return s
    }

    @Test func silenceWhileTheHostListsItIsACrashThatEndsWhenReportsResume() throws {
        // Healthy until 100, silent (a crash: the host restarts it without an event) until 300.
        let s = state([In.providerStarted(h, p, at: 0)] + healthy(10, 100) + heartbeats(5, 400)
                      + healthy(300, 400, first: .status))
        let r = try #require(s.triage[h, p])
        #expect(r.count(.crash) == 1 && r.count(.unhealthy) == 0)
        let crash = try #require(r.incidents.first)
        #expect(crash.at == TestTime.at(100), "the crash is dated by the last sign of life")
        #expect(crash.ended == TestTime.at(300))
        #expect(!s.isFlapping(r))
    }

    @Test func oneNeverHeardFromIsSilentSinceFirstListed() throws {
        let s = state(heartbeats(5, 200))
        let crash = try #require(s.triage[h, p]?.incidents.first)
        #expect(crash.kind == .crash && crash.at == TestTime.at(5) && crash.detail == "no health report since it was first listed")
        #expect(state(heartbeats(5, 60)).triage[h, p]?.incidents.isEmpty == true, "not before the threshold")
    }

    @Test func aProviderWhoseHostStopsHeartbeatingDidNotCrash() {
        let s = state([In.providerStarted(h, p, at: 0)] + healthy(10, 100) + heartbeats(5, 100))
        #expect(s.triage[h, p]?.incidents.isEmpty == true)
    }

    @Test func builtinProvidersAreNeverCalledSilent() {
        var inputs: [LatticeInput] = [In.providerStarted(h, "http", at: 0, image: "wasmcloud+builtin://http-server")]
        inputs += stride(from: 5.0, through: 400, by: 30).map {
            In.heartbeat(h, at: $0, providers: [In.provider("http", image: "wasmcloud+builtin://http-server")])
        }
        #expect(state(inputs).triage[h, "http"]?.incidents.isEmpty ?? true)
    }

    @Test func unhealthySpellsFailedStartsAndFlapping() throws {
        var inputs: [LatticeInput] = [In.startFailed(h, p, error: "pull failed", at: 0), In.providerStarted(h, p, at: 20)]
        inputs += [In.health(.passed, h, p, at: 30), In.health(.failed, h, p, at: 60), In.health(.status, h, p, at: 90),
                   In.health(.passed, h, p, at: 120), In.health(.status, h, p, at: 150), In.health(.failed, h, p, at: 180)]
        let s = state(inputs)
        let r = try #require(s.triage[h, p])
        #expect(r.count(.failedStart) == 1 && r.incidents.first?.detail == "pull failed")
        #expect(r.count(.unhealthy) == 2, "a spell per turn to unhealthy, 'unchanged' reports extend it")
        #expect(r.incidents[1].ended == TestTime.at(120) && r.incidents[2].ended == nil)
        #expect(s.isFlapping(r), "3 incidents within 10 minutes")
    }

    @Test func unhealthyFromTheFirstProbeIsASpellOnlyWhenTheStartWasSeen() {
        let seen = state([In.providerStarted(h, p, at: 0), In.health(.status, h, p, at: 5), In.health(.status, h, p, at: 35)])
        #expect(seen.triage[h, p]?.count(.unhealthy) == 1)
        let joined = state([In.health(.status, h, p, at: 5), In.health(.status, h, p, at: 35)])
        #expect(joined.triage[h, p]?.count(.unhealthy) == 0, "only 'unchanged' since watching says nothing")
    }

    @Test func incidentsSpreadOutAreNotFlappingAndOldOnesAgeOut() throws {
        // Three failed starts, 20 minutes apart: not flapping; an hour and more later, gone.
        let inputs = [0.0, 1200, 2400].map { In.startFailed(h, p, error: "e", at: $0) }
        var s = state(inputs)
        let r = try #require(s.triage[h, p])
        #expect(r.count(.failedStart) == 3 && r.densest(span: 600) == 1 && !s.isFlapping(r))
        s.apply(.tick(TestTime.at(2400 + 3600 + 1)))
        #expect(s.triage[h, p] == nil)
        s = state(inputs)
        s.apply(.tick(TestTime.at(1200 + 3600 + 1)))
        #expect(s.triage[h, p]?.count(.failedStart) == 1, "only the one within the window stays")
    }

    @Test func aDuplicatedEventCountsOnce() {
        let failed = In.startFailed(h, p, error: "e", at: 0)
        #expect(state([failed, failed]).triage[h, p]?.count(.failedStart) == 1)
    }
}
