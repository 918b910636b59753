import Foundation
import LatticeProtocol
import LatticeState
import PropertyBased
import Testing

/// The issue's property: after any reordering or duplication of heartbeats and events,
/// followed by a complete resync, the model equals the model from the ordered stream, and it
/// tells the truth.
@Suite struct OrderIndependenceTests {
    struct Run: CustomStringConvertible {
        var scenario: LatticeScenario
        var reordered: [LatticeInput]
        var description: String { "\(scenario), reordered with \(reordered.count - scenario.stream.count) duplicates" }
    }

    /// Thresholds so long that nothing in a generated run is stale or expires.
    static let patient = LatticeStateConfiguration(
        hostStaleAfter: 1e6, v2HostStaleAfter: 1e6, staleHostRemovalAfter: 1e6, stoppedHostRetention: 1e6,
        providerHealthStaleAfter: 1e6, stoppedProviderRetention: 1e6, failedComponentRetention: 1e6,
        refusedLinkRetention: 1e6, tombstoneRetention: 1e6)

    /// Every input keeps its own arrival time: only the order (and duplication) changes.
    static let reorderedRuns = Generator<Run, Shrink.None<Run>> { rng in
        var source = ForwardingGenerator(rng)
        let scenario = LatticeScenario.generate(steps: Int.random(in: 20...160, using: &source), using: &source)
        let duplicates = Int.random(in: 0...scenario.stream.count / 3, using: &source)
        return Run(scenario: scenario, reordered: scenario.stream.shuffledWithDuplicates(duplicates, using: &source))
    }

    /// Arrival times are handed out again in the new order, as a real subscriber would stamp
    /// them. What is decided by arrival time is then compared without it: a host's
    /// `stale(since:)` is the arrival of its last sign of life. (v2 heartbeats have no time of
    /// their own, so their order is their arrival order: left out here.)
    static let restampedRuns = Generator<Run, Shrink.None<Run>> { rng in
        var source = ForwardingGenerator(rng)
        let scenario = LatticeScenario.generate(steps: Int.random(in: 20...160, using: &source), includeV2: false, using: &source)
        let duplicates = Int.random(in: 0...scenario.stream.count / 3, using: &source)
        let reordered = scenario.stream.shuffledWithDuplicates(duplicates, using: &source)
        let arrivals = reordered.map(\.arrival).sorted()
        return Run(scenario: scenario, reordered: zip(reordered, arrivals).map { $0.arrived(at: $1) })
    }

    @Test func reorderedAndDuplicatedStreamGivesTheSameModel() async {
        await propertyCheck(count: 100, input: Self.reorderedRuns) { run in
            let ordered = LatticeState(run.scenario.stream + run.scenario.resync)
            let reordered = LatticeState(run.reordered + run.scenario.resync)
            expectEqualModels(ordered.model, reordered.model)
            expectTruth(ordered, run.scenario)
        }
    }

    @Test func reorderedWithNewArrivalTimesGivesTheSameModel() async {
        await propertyCheck(count: 60, input: Self.restampedRuns) { run in
            let ordered = LatticeState(run.scenario.stream + run.scenario.resync, configuration: Self.patient)
            let reordered = LatticeState(run.reordered + run.scenario.resync, configuration: Self.patient)
            expectEqualModels(ordered.model.withoutArrivalTimes, reordered.model.withoutArrivalTimes)
        }
    }

    /// Stronger than the issue asks: even without the resync (which hides a lot by being the
    /// newest word on everything) the order and duplication of the stream do not matter.
    @Test func reorderingAloneChangesNothingEither() async {
        await propertyCheck(count: 60, input: Self.reorderedRuns) { run in
            let ordered = LatticeState(run.scenario.stream + [run.scenario.resync.last!])
            let reordered = LatticeState(run.reordered + [run.scenario.resync.last!])
            expectEqualModels(ordered.model, reordered.model)
        }
    }

    /// Applying the same resync again, even backwards, changes nothing: it is idempotent.
    @Test func aResyncReplayedOutOfOrderChangesNothing() async {
        await propertyCheck(count: 40, input: Self.reorderedRuns) { run in
            let once = LatticeState(run.scenario.stream + run.scenario.resync)
            var twice = once
            twice.apply(contentsOf: run.scenario.resync.reversed())
            twice.apply(run.scenario.resync.last!)
            expectEqualModels(once.model, twice.model)
        }
    }
}

/// Compares part by part, so a failure says where the models differ.
func expectEqualModels(_ a: LatticeModel, _ b: LatticeModel, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(Set(a.hosts.keys) == Set(b.hosts.keys), sourceLocation: sourceLocation)
    for (id, host) in a.hosts {
        guard let other = b.hosts[id] else { continue }
        for (componentID, component) in host.components where other.components[componentID] != component {
            Issue.record("component \(componentID)@\(id): \(component) vs \(String(describing: other.components[componentID]))", sourceLocation: sourceLocation)
        }
        for (providerID, provider) in host.providers where other.providers[providerID] != provider {
            Issue.record("provider \(providerID)@\(id): \(provider) vs \(String(describing: other.providers[providerID]))", sourceLocation: sourceLocation)
        }
        var hostA = host, hostB = other
        (hostA.components, hostA.providers, hostB.components, hostB.providers) = ([:], [:], [:], [:])
        #expect(hostA == hostB, "host \(id)", sourceLocation: sourceLocation)
        #expect(Set(host.components.keys) == Set(other.components.keys), "components on \(id)", sourceLocation: sourceLocation)
        #expect(Set(host.providers.keys) == Set(other.providers.keys), "providers on \(id)", sourceLocation: sourceLocation)
    }
    #expect(a.links == b.links, sourceLocation: sourceLocation)
    #expect(a.configs == b.configs, sourceLocation: sourceLocation)
    #expect(a.applications == b.applications, sourceLocation: sourceLocation)
    if a != b { Issue.record("the models differ", sourceLocation: sourceLocation) }
}

extension LatticeModel {
    /// The model with what only arrival times decide blanked out.
    var withoutArrivalTimes: LatticeModel {
        var copy = self
        for (id, host) in hosts {
            if case .stale(_, let reason) = host.liveness { copy.hosts[id]!.liveness = .stale(since: .distantPast, reason: reason) }
        }
        return copy
    }
}

/// The model after the resync says what really runs: it never lies. What only a missed event
/// could have told (a stop that never came, a secret config, the last health verdict) is
/// checked only as far as the inputs can tell it.
func expectTruth(_ state: LatticeState, _ scenario: LatticeScenario, sourceLocation: SourceLocation = #_sourceLocation) {
    let model = state.model
    let truth = scenario.truth
    for (id, host) in truth.hosts {
        guard let shown = model.hosts[id] else {
            Issue.record("host \(id) missing", sourceLocation: sourceLocation)
            continue
        }
        #expect(shown.liveness == .live, sourceLocation: sourceLocation)
        #expect(shown.labels == host.labels, sourceLocation: sourceLocation)
        let running = shown.components.filter { $0.value.status == .running }.mapValues(\.maxInstances)
        #expect(running == host.components.mapValues(\.count), "components on \(id)", sourceLocation: sourceLocation)
        let providers = Set(shown.providers.filter { $0.value.status == .running }.keys)
        #expect(providers == Set(host.providers.keys), "providers on \(id)", sourceLocation: sourceLocation)
        for (providerID, provider) in shown.providers where provider.status == .running && scenario.lostEvents == 0 {
            #expect(provider.health.isHealthy == false || host.providers[providerID]?.previousHealthy == true,
                    "\(providerID)@\(id) shown healthy while its last probe failed", sourceLocation: sourceLocation)
        }
    }
    for (id, host) in model.hosts where truth.hosts[id] == nil && host.v2 == nil {
        // Stopped, or (its host_stopped missed, like a crashed host's) stale: never live.
        #expect(!host.liveness.isLive, "\(id) is gone but shown \(host.liveness)", sourceLocation: sourceLocation)
        if scenario.lostEvents == 0 { #expect(host.liveness.isStopped, sourceLocation: sourceLocation) }
    }
    #expect(Set(model.links.filter { $0.value.isPresent }.keys) == Set(truth.links.keys), sourceLocation: sourceLocation)
    // Secret references are not listed by a sync: only events tell of them.
    #expect(Set(model.configs.keys.filter { !$0.hasPrefix("SECRET") }) == Set(truth.configs.keys.filter { !$0.hasPrefix("SECRET") }),
            sourceLocation: sourceLocation)
    for (name, values) in truth.configs where !name.hasPrefix("SECRET") {
        #expect(model.configs[name]?.values == values, "config \(name)", sourceLocation: sourceLocation)
        #expect(model.configs[name]?.valuesAreStale == false, sourceLocation: sourceLocation)
    }
    for (app, status) in truth.appStatus {
        #expect(model.applications[app]?.status == status, "app \(app)", sourceLocation: sourceLocation)
    }
}

/// Lets generic code draw from PropertyBased's existential generator.
struct ForwardingGenerator: RandomNumberGenerator {
    var base: any SeededRandomNumberGenerator

    init(_ base: any SeededRandomNumberGenerator) {
        self.base = base
    }

    mutating func next() -> UInt64 { base.next() }
}

extension LatticeInput {
    /// When it arrived.
    var arrival: Date { at }

    /// The same input, arriving at another time.
    func arrived(at date: Date) -> LatticeInput {
        switch self {
        case .event(let e, _): return .event(e, at: date)
        case .v2Heartbeat(let b, let s, _): return .v2Heartbeat(b, subject: s, at: date)
        case .wadmStatus(let a, let s, _): return .wadmStatus(application: a, status: s, at: date)
        default: return self
        }
    }
}
