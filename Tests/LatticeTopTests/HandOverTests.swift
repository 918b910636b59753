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

/// latticetop's own health probes wait while a sync runs: at a big lattice they would queue in
/// front of the hosts' answers to the sync (issue #14).
@Suite struct ProbeTimingTests {
    typealias I = HandOverInputs

    @Test func probesWaitForTheSync() {
        var state = LatticeState()
        #expect(!DashboardLoop.probesMayRun(state), "not connected yet")
        state.apply(.connection(.connected(server: "nats://127.0.0.1:4222"), at: I.at(0)))
        #expect(DashboardLoop.probesMayRun(state))
        state.apply(.syncStarted(id: 1, at: I.at(1)))
        state.apply(I.heartbeat("NHOSTONE", at: 1, providers: ["p1"]))
        #expect(!state.probeTargets.isEmpty)
        #expect(!DashboardLoop.probesMayRun(state), "a sync is running")
        state.apply(.syncFinished(id: 1, hostsAnswered: ["NHOSTONE"], complete: true, at: I.at(3)))
        #expect(DashboardLoop.probesMayRun(state))
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

/// The dashboard's hand-over replaces a waiting heartbeat of a host (and a waiting health status
/// of a provider on a host) by the newer one, keeps the order of everything else, and counts
/// what it replaced (issue #14).
@Suite struct SupersedingHandOverTests {
    typealias I = HandOverInputs

    static func status(_ host: String, _ provider: String, at seconds: TimeInterval) -> LatticeInput {
        .event(LatticeEvent.make(.healthCheckStatus(HealthCheckEvent(hostID: host, providerID: provider)), source: host, time: I.at(seconds)),
               at: I.at(seconds))
    }

    static func passed(_ host: String, _ provider: String, at seconds: TimeInterval) -> LatticeInput {
        .event(LatticeEvent.make(.healthCheckPassed(HealthCheckEvent(hostID: host, providerID: provider)), source: host, time: I.at(seconds)),
               at: I.at(seconds))
    }

    static func queue(capacity: Int = .max) -> BatchQueue<LatticeInput> {
        BatchQueue(capacity: capacity, supersedingKey: LatticeInput.supersedingKey)
    }

    @Test func onlyTheSameKeyIsReplacedAndTheOrderOfArrivalIsKept() {
        let queue = Self.queue()
        let first = [I.heartbeat("NA", at: 0), I.heartbeat("NB", at: 1), Self.status("NA", "p1", at: 2), Self.status("NA", "p2", at: 3),
                     Self.passed("NA", "p1", at: 4), Self.status("NB", "p1", at: 5)]
        queue.push(first)
        #expect(queue.supersededTotal == 0 && queue.count == 6)
        let newer = [I.heartbeat("NA", at: 30), Self.status("NA", "p1", at: 32)]
        queue.push(newer)
        #expect(queue.count == 6, "each newer one took the place of an older one in the count")
        #expect(queue.oldest == first[1], "the replaced heartbeat no longer waits first")
        let (items, dropped, superseded) = queue.drainCounting()
        #expect(items == [first[1], first[3], first[4], first[5], newer[0], newer[1]],
                "the replaced leave their place, the newer join the end; passed (a verdict) and other hosts' and providers' inputs stay")
        #expect(dropped == 0)
        #expect(superseded == 2)
        // Taken: nothing waits to be replaced; the count is a total.
        let later = I.heartbeat("NA", at: 60)
        queue.push(later)
        let taken = queue.drainCounting()
        #expect(taken.items == [later] && taken.supersededTotal == 2)
    }

    @Test func recordedEventsAndOtherInputsAreNeverReplaced() {
        let queue = Self.queue()
        guard case .event(let beat, let at) = I.heartbeat("NA", at: 0) else { return }
        let inputs: [LatticeInput] = [.recorded(beat, at: at), .recorded(beat, at: at), .tick(I.at(1)), .tick(I.at(1)),
                                      .dropped(subject: "s", total: 1, at: I.at(1)), .dropped(subject: "s", total: 1, at: I.at(1))]
        queue.push(inputs)
        #expect(queue.drainCounting().items == inputs)
        #expect(queue.supersededTotal == 0)
    }

    @Test func aFullQueueStillTakesANewerValueInPlaceOfTheOlder() {
        let queue = Self.queue(capacity: 3)
        let first = [I.heartbeat("NA", at: 0), Self.passed("NA", "p", at: 1), I.heartbeat("NB", at: 2)]
        let second = [Self.passed("NA", "p", at: 3), I.heartbeat("NC", at: 4), I.heartbeat("NA", at: 5)]
        queue.push(first)
        queue.push(second)
        let (items, dropped, superseded) = queue.drainCounting()
        #expect(items == [first[1], first[2], second[2]])
        #expect(dropped == 2, "no room for the new passed verdict and the new host")
        #expect(superseded == 1)
    }

    /// Many replacements while the consumer is away: the places given back, the one newest kept.
    @Test func aLongAbsenceKeepsOneValuePerKey() {
        let queue = Self.queue()
        var last: [LatticeInput] = []
        for i in 0..<1000 {
            last = [I.heartbeat("NA", at: Double(i)), Self.status("NB", "p", at: Double(i))]
            queue.push(last)
        }
        #expect(queue.count == 2)
        #expect(queue.oldest == last[0])
        let (items, _, superseded) = queue.drainCounting()
        #expect(items == last)
        #expect(superseded == 1998)
    }

    /// Without a key (`events`, the effect runner's answers) every value is kept.
    @Test func aQueueWithoutAKeyKeepsEveryValue() {
        let queue = BatchQueue<LatticeInput>()
        let inputs = (0..<5).map { I.heartbeat("NA", at: Double($0)) }
        queue.push(inputs)
        #expect(queue.drain() == inputs)
        #expect(queue.supersededTotal == 0)
        #expect(MonitorConfiguration().supersedesWaitingInputs == false, "off unless the dashboard asks")
    }

    /// A waiting consumer gets what one push leaves, replacements within it done.
    @Test func aWaitingConsumerGetsThePushSuperseded() async {
        let queue = Self.queue()
        async let next = queue.next()
        let beats = [I.heartbeat("NA", at: 0), I.heartbeat("NA", at: 1)]
        // Until the consumer waits, a push stays queued (and a later one replaces it): push till taken.
        while queue.supersededTotal < 2 { queue.push(beats); await Task.yield() }
        let got = await next
        #expect(got == [beats[1]], "one heartbeat of the host, the newer")
    }

    /// The count reaches the model and the Events pane's title, like the dropped count.
    @Test func theCountIsFoldedIntoTheModelAndShown() {
        var d = Dashboard(lattice: "default", server: "nats://127.0.0.1:4222", context: nil)
        d.apply([I.heartbeat("NA", at: 0), .superseded(total: 12, at: I.at(1))])
        #expect(d.state.counters.superseded == 12)
        #expect(d.state.now == I.at(1))
        d.apply([.superseded(total: 40, at: I.at(2)), .dropped(subject: "UI hand-over", total: 3, at: I.at(2))])
        let title = d.view(for: .events, drill: nil, now: I.at(3), paused: false).title
        #expect(title.contains("3 dropped") && title.contains("40 superseded"), "\(title)")
    }
}
