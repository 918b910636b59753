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
        var description: String { "\(arrived.count) inputs, snapshot every \(interval), \(moments.count) moments" }
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
        return Run(arrived: arrived, interval: Int.random(in: 1...40, using: &source), moments: moments)
    }

    @Test func anyMomentIsTheFoldOfTheInputsUpToIt() async {
        let configuration = LatticeStateConfiguration()
        await propertyCheck(count: 60, input: Self.runs) { run in
            var timeline = LatticeTimeline(configuration: configuration, snapshotInterval: run.interval, limit: 1_000_000)
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
}
