import Foundation
import LatticeProtocol
import LatticeState
import PropertyBased
import Testing

/// Time travel's core: the state at a past moment is the fold of the inputs up to it.
@Suite struct LatticeTimelineTests {
    /// What the timeline must give: the inputs up to `moment`, in moment order (equal moments in
    /// arrival order), each event at its own time, then a tick at `moment`.
    static func reference(_ arrived: [LatticeInput], at moment: Date, configuration: LatticeStateConfiguration) -> LatticeState {
        let kept = arrived.compactMap { input -> (Date, LatticeInput)? in
            guard let m = LatticeTimeline.moment(of: input) else { return nil }
            if case .event(let e, _) = input { return (m, .event(e, at: m)) }
            return (m, input)
        }
        var ordered = kept.enumerated().sorted { a, b in a.element.0 != b.element.0 ? a.element.0 < b.element.0 : a.offset < b.offset }
        ordered.removeAll { $0.element.0 > moment }
        var state = LatticeState(configuration: configuration)
        for (_, input) in ordered.map(\.element) { state.apply(input) }
        state.apply(.tick(moment))
        return state
    }

    struct Run: CustomStringConvertible {
        var arrived: [LatticeInput]
        var interval: Int
        var moments: [Date]
        var budget: Int
        var description: String { "\(arrived.count) inputs, snapshot every \(interval), \(moments.count) moments, budget \(budget)" }
    }

    /// A generated lattice history, arriving partly out of order (a late half, like history
    /// loaded after the first live events), asked about at random moments.
    static let runs = Generator<Run, Shrink.None<Run>> { rng in
        var source = ForwardingGenerator(rng)
        let scenario = LatticeScenario.generate(steps: Int.random(in: 20...160, using: &source), using: &source)
        let stream = scenario.stream + scenario.resync.filter { if case .tick = $0 { return false } else { return true } }
        let split = Int.random(in: 0...stream.count, using: &source)
        // Live first (the later part), then the history before it, itself slightly shuffled.
        var history = Array(stream[..<split])
        for _ in 0..<history.count / 10 where history.count > 1 {
            history.swapAt(Int.random(in: 0..<history.count, using: &source), Int.random(in: 0..<history.count, using: &source))
        }
        let arrived = Array(stream[split...]) + history
        let times = stream.compactMap(LatticeTimeline.moment(of:))
        let moments = (0..<8).map { _ in times.randomElement(using: &source)! + Double(Int.random(in: -2...2, using: &source)) }
        // A budget that holds every input and 4–10 of the largest states (or none at all):
        // the snapshots are thinned as they come, nothing is forgotten.
        let inputBytes = arrived.reduce(0) { $0 + TimelineCost.bytes(of: $1) }
        var whole = LatticeState()
        whole.apply(contentsOf: stream)
        let budget = Bool.random(using: &source) ? Int.max / 4 : 2 * (Int.random(in: 4...10, using: &source) * TimelineCost.bytes(of: whole) + inputBytes)
        return Run(arrived: arrived, interval: Int.random(in: 1...40, using: &source), moments: moments, budget: budget)
    }

    @Test func anyMomentIsTheFoldOfTheInputsUpToIt() async {
        let configuration = LatticeStateConfiguration()
        await propertyCheck(count: 60, input: Self.runs) { run in
            var timeline = LatticeTimeline(configuration: configuration, snapshotInterval: run.interval, limit: 1_000_000, byteBudget: run.budget)
            // Arriving in chunks, folded and asked about in between, so that late inputs land
            // in what was folded already.
            var arrived = 0
            for (i, moment) in run.moments.enumerated() {
                let next = i == run.moments.count - 1 ? run.arrived.count : min(run.arrived.count, arrived + run.arrived.count / run.moments.count + 1)
                timeline.record(contentsOf: run.arrived[arrived..<next])
                arrived = next
                if i % 2 == 0 { timeline.catchUp(maxInputs: run.interval * 3 + i) }
                let same = timeline.state(at: moment) == Self.reference(Array(run.arrived[..<arrived]), at: moment, configuration: configuration)
                #expect(same, "at \(moment), \(arrived) of \(run.arrived.count) arrived")
            }
            for moment in run.moments {
                let rebuilt = timeline.state(at: moment)
                let expected = Self.reference(run.arrived, at: moment, configuration: configuration)
                let same = rebuilt == expected
                #expect(same, "at \(moment)")
            }
            #expect(timeline.forgotten == 0 && timeline.suspension == nil)
            #expect(timeline.statesBytes <= run.budget / 2 || timeline.snapshotCount == 1, "the states within their half of the budget")
        }
    }

    @Test func beforeTheCrashTheProviderRuns() {
        var timeline = LatticeTimeline(snapshotInterval: 3)
        timeline.record(contentsOf: [
            In.hostStarted(In.h1, at: 0),
            In.heartbeat(In.h1, at: 1),
            In.providerStarted(In.h1, "kv-redis", at: 10),
            In.heartbeat(In.h1, at: 31, providers: [In.provider("kv-redis")]),
            In.health(.failed, In.h1, "kv-redis", at: 50),
            In.providerStopped(In.h1, "kv-redis", at: 60),
            In.heartbeat(In.h1, at: 61),
        ])
        var before = timeline.state(at: TestTime.at(40))
        #expect(before.hosts[In.h1]?.providers["kv-redis"]?.status == .running)
        let after = timeline.state(at: TestTime.at(65))
        #expect(after.hosts[In.h1]?.providers["kv-redis"]?.status != .running)
        #expect(after.now == TestTime.at(65), "the past is seen from its own moment")
        // Asking again gives the same (snapshots are not disturbed by a rebuild).
        before = timeline.state(at: TestTime.at(40))
        #expect(before.hosts[In.h1]?.providers["kv-redis"]?.status == .running)
        #expect(timeline.state(at: TestTime.at(-5)).hosts.isEmpty, "before anything was recorded")
    }

    @Test func stepsSkipHeartbeatsAndTicks() {
        var timeline = LatticeTimeline()
        timeline.record(contentsOf: [
            In.providerStarted(In.h1, "kv", at: 10),
            In.heartbeat(In.h1, at: 20),
            .tick(TestTime.at(25)),
            In.scaled(In.h1, "api", count: 2, at: 30),
            In.heartbeat(In.h1, at: 40),
        ])
        #expect(timeline.count == 4, "ticks are not kept")
        #expect(timeline.moment(before: TestTime.at(30)) == TestTime.at(10))
        #expect(timeline.moment(after: TestTime.at(10)) == TestTime.at(30))
        #expect(timeline.moment(after: TestTime.at(30)) == nil)
        #expect(timeline.moment(before: TestTime.at(10)) == nil)
        #expect(timeline.first == TestTime.at(10) && timeline.last == TestTime.at(40))
    }

    @Test func beyondTheLimitTheOldestAreFoldedIntoTheBase() {
        var timeline = LatticeTimeline(snapshotInterval: 4, limit: 8)
        var all: [LatticeInput] = [In.hostStarted(In.h1, at: 0)]
        for i in 1...40 { all.append(In.scaled(In.h1, "api", count: UInt32(i), at: Double(i))) }
        timeline.record(contentsOf: all)
        #expect(timeline.count <= 12)
        #expect(timeline.forgotten + timeline.count == all.count)
        let end = timeline.state(at: TestTime.at(41))
        #expect(end == Self.reference(all, at: TestTime.at(41), configuration: LatticeStateConfiguration()), "the end is unchanged")
        #expect(timeline.first.map { $0 > TestTime.at(20) } == true, "the timeline starts later")
    }

    /// Heartbeats of `hosts` hosts every 30 s for `seconds`, with a health report in between.
    static func beats(hosts: Int, seconds: Int) -> [LatticeInput] {
        var out: [LatticeInput] = []
        for t in stride(from: 0, to: seconds, by: 30) {
            for h in 0..<hosts {
                let host = "NHOST\(h)"
                out.append(In.heartbeat(host, at: Double(t) + Double(h) * 30 / Double(hosts),
                                        components: [In.component("api-\(h)")], providers: [In.provider("kv-\(h)")]))
                out.append(In.health(.status, host, "kv-\(h)", at: Double(t) + Double(h) * 30 / Double(hosts) + 0.5))
            }
        }
        return out
    }

    @Test func theInputsStayWithinHalfTheBudgetAndTheEndIsUnchanged() {
        let all = Self.beats(hosts: 5, seconds: 30_000)
        var whole = LatticeState()
        whole.apply(contentsOf: all)
        // Five of the states in one half; the inputs (~10,000, a few MB) do not fit in the other.
        let budget = 2 * 5 * TimelineCost.bytes(of: whole)
        #expect(all.reduce(0) { $0 + TimelineCost.bytes(of: $1) } > budget)
        var timeline = LatticeTimeline(snapshotInterval: 10, limit: 1_000_000, byteBudget: budget)
        timeline.record(contentsOf: all)
        #expect(timeline.suspension == nil)
        #expect(timeline.forgotten > 0 && timeline.forgotten + timeline.count == all.count)
        #expect(timeline.inputBytes <= budget / 2, "within half the budget")
        let end = TestTime.at(30_001)
        #expect(timeline.state(at: end) == Self.reference(all, at: end, configuration: LatticeStateConfiguration()), "the end is unchanged")
        #expect(timeline.first.map { $0 > TestTime.at(1_000) } == true, "the timeline starts later")
    }

    @Test func repeatedHeartbeatsAreCountedWithoutTheirLists() {
        var timeline = LatticeTimeline()
        let first = In.heartbeat(In.h1, at: 0, components: [In.component("api"), In.component("web")], providers: [In.provider("kv")])
        timeline.record(first)
        let afterFirst = timeline.inputBytes
        timeline.record(In.heartbeat(In.h1, at: 30, components: [In.component("api"), In.component("web")], providers: [In.provider("kv")]))
        let repeated = timeline.inputBytes - afterFirst
        #expect(repeated > 0 && repeated < afterFirst, "\(repeated) bytes for a repeat, \(afterFirst) for the first")
        timeline.record(In.heartbeat(In.h1, at: 60, components: [In.component("api")], providers: [In.provider("kv")]))
        #expect(timeline.inputBytes - afterFirst - repeated > repeated, "a changed inventory is counted with its lists")
    }

    @Test func snapshotsAreThinnedToFitAndEveryMomentStillRebuilds() {
        let all = Self.beats(hosts: 20, seconds: 600)
        var whole = LatticeState()
        whole.apply(contentsOf: all)
        let inputs = all.reduce(0) { $0 + TimelineCost.bytes(of: $1) }
        // Room for the inputs and six of the largest states.
        let budget = 2 * max(inputs, 6 * TimelineCost.bytes(of: whole))
        var timeline = LatticeTimeline(snapshotInterval: 5, limit: 1_000_000, byteBudget: budget)
        timeline.record(contentsOf: all)
        timeline.catchUp(maxInputs: .max)
        #expect(timeline.forgotten == 0)
        #expect(timeline.snapshotSpacing > 5, "thinned: spacing \(timeline.snapshotSpacing)")
        #expect(timeline.snapshotCount + 1 <= 6 && timeline.statesBytes <= budget / 2)
        for t in stride(from: -1.0, through: 601, by: 37) {
            let moment = TestTime.at(t)
            #expect(timeline.state(at: moment) == Self.reference(all, at: moment, configuration: LatticeStateConfiguration()), "at \(t)")
        }
    }

    @Test func aModelTooLargeForTheBudgetSuspendsTimeTravel() {
        let all = Self.beats(hosts: 50, seconds: 120)
        var whole = LatticeState()
        whole.apply(contentsOf: all)
        // Three of the whole model's states in the states' half: fewer than four fit.
        let budget = 2 * 3 * TimelineCost.bytes(of: whole)
        var timeline = LatticeTimeline(snapshotInterval: 20, limit: 1_000_000, byteBudget: budget)
        timeline.record(contentsOf: all)
        #expect(timeline.suspension == nil, "nothing folded yet: not measured")
        timeline.catchUp(maxInputs: .max)
        let suspension = timeline.suspension
        #expect(suspension?.byteBudget == budget)
        #expect((suspension?.stateBytes ?? 0) * LatticeTimeline.minimumStates > budget / 2)
        #expect(timeline.count == 0 && timeline.inputBytes == 0 && timeline.first == nil)
        #expect(timeline.forgotten == all.count)
        // Nothing more is kept; the past is empty.
        timeline.record(In.heartbeat(In.h1, at: 200))
        #expect(timeline.count == 0)
        #expect(timeline.state(at: TestTime.at(100)).hosts.isEmpty)
        #expect(timeline.moment(before: TestTime.at(1_000)) == nil)
    }

    @Test func aStateCostsMoreWithMoreRecords() {
        var small = LatticeState(), large = LatticeState()
        small.apply(contentsOf: Self.beats(hosts: 2, seconds: 30))
        large.apply(contentsOf: Self.beats(hosts: 200, seconds: 30))
        let empty = TimelineCost.bytes(of: LatticeState())
        #expect(empty < TimelineCost.bytes(of: small) && TimelineCost.bytes(of: small) < TimelineCost.bytes(of: large))
        // 198 more hosts, each with a component and a provider: at least their records' inline sizes.
        let least = 198 * (MemoryLayout<HostRecord>.stride + MemoryLayout<ComponentRecord>.stride + MemoryLayout<ProviderRecord>.stride)
        #expect(TimelineCost.bytes(of: large) - TimelineCost.bytes(of: small) >= least)
    }
}
