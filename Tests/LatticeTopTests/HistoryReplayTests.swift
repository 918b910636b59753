import EmbeddedNATS
import Foundation
import LatticeClient
import LatticeProtocol
import LatticeSim
import LatticeState
import NATSKit
import NATSTestSupport
import Synchronization
import Testing
@testable import LatticeMonitor
@testable import LatticeTop

/// History at start (issue #13 items 2 and 4): the monitor replays the flight recorder (else
/// wadm's `wasmbus_events`) before live events, against real nats-server processes with JetStream.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct HistoryReplayTests {
    /// The inputs a monitor hands over until `done` holds (or `timeout` passes).
    static func collect(_ monitor: LatticeMonitor, timeout: Duration = .seconds(30),
                        until done: ([LatticeInput]) -> Bool) async -> [LatticeInput] {
        var all: [LatticeInput] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !done(all) {
            all += monitor.inputs.drain()
            try? await Task.sleep(for: .milliseconds(20))
        }
        return all
    }

    static func finished(_ inputs: [LatticeInput]) -> HistoryProgress? {
        for case .history(let progress, _) in inputs where progress.isFinished { return progress }
        return nil
    }

    /// A `config_set` event with a numbered ID and config name, as a host publishes it.
    static func numberedEvent(_ i: Int, lattice: String = "default") -> (subject: String, body: Data) {
        let id = String(format: "00000000-0000-7000-8000-%012d", i)
        let body = #"{"specversion":"1.0","id":"\#(id)","type":"com.wasmcloud.lattice.config_set","source":"NTESTHOST","datacontenttype":"application/json","time":"2026-12-05T08:00:00Z","data":{"config_name":"c\#(i)"}}"#
        return ("wasmbus.evt.\(lattice).config_set", Data(body.utf8))
    }

    static func configName(_ event: LatticeEvent) -> String? {
        if case .configSet(let set) = event.payload { return set.configName }
        return nil
    }

    /// The issue's scenario: `latticetop record`, a provider crashes (its process is gone: the
    /// host's probes get no answer, so it publishes nothing more about it) and a start fails;
    /// a dashboard model started afterwards sees both from the recorded history alone.
    @Test func aModelStartedAfterACrashSeesItFromTheRecorder() async throws {
        try await LatticeFixture.using(.fast(hosts: 2)) { f in
            let record = try GetCommandTests.run(["record", "--nats-url", f.server.url])
            #expect(record.status == 0, "\(record.stderr)")
            let crashed = "rust_http_kv-kvredis"
            _ = await f.events.wait { $0.knownType == .healthCheckPassed }
            let host = try #require(await f.simulator.inventories().first { $0.providers.contains { $0.id == crashed } }?.hostID)
            await f.simulator.setHealthAnswer(.noEndpoint, provider: crashed)
            let crashedAt = Date()
            await f.simulator.trigger(.failedStart)
            // Health rounds (every 2 s) go on for the others, not for the crashed one.
            _ = await f.events.wait(timeout: .seconds(20)) { e in
                e.knownType == .healthCheckStatus && (e.date ?? .distantPast) > crashedAt.addingTimeInterval(7)
            }

            let monitor = LatticeMonitor(client: f.client, configuration: MonitorConfiguration(
                history: HistoryConfiguration(start: .ago(.seconds(3600)))))
            try await monitor.start()
            let inputs = await Self.collect(monitor) { Self.finished($0) != nil }
            await monitor.stop()
            guard case .loaded(let stream, _, let events, _)? = Self.finished(inputs) else {
                Issue.record("the history did not load: \(String(describing: Self.finished(inputs)))")
                return
            }
            #expect(stream == "LATTICETOP_EVENTS_default")
            #expect(events > 10)
            // Only what the history says: everything up to the end of the replay.
            let end = try #require(inputs.firstIndex { if case .history(let p, _) = $0 { return p.isFinished } else { return false } })
            let history = Array(inputs[...end])
            #expect(!history.contains { if case .event = $0 { return true } else { return false } }, "no live event before the history's end")
            #expect(!history.contains { if case .inventory = $0 { return true } else { return false } }, "the sync waits behind the history")
            var model = LatticeState(configuration: LatticeStateConfiguration(providerHealthStaleAfter: 5))
            model.apply(contentsOf: history)
            model.apply(.tick(Date()))
            let provider = try #require(model.hosts[host]?.providers[crashed])
            guard case .stale(let lastReport?, _) = provider.health else {
                Issue.record("the crashed provider is \(provider.health), not silent since its last report")
                return
            }
            #expect(lastReport <= crashedAt.addingTimeInterval(0.5) && lastReport > crashedAt.addingTimeInterval(-5))
            let others = model.hosts.values.flatMap(\.providers.values).filter { $0.id != crashed && $0.status.isRunning && !$0.isBuiltin }
            #expect(!others.isEmpty && others.allSatisfy { $0.health.isHealthy }, "\(others.map { "\($0.id): \($0.health)" })")
            // Triage from the history alone: the crash (silence while listed) and the failed start.
            let triage = try #require(model.triage[host, crashed])
            #expect(triage.count(.crash) == 1 && triage.incidents.first { $0.kind == .crash }?.ended == nil, "\(triage.incidents)")
            #expect(model.triage.providers.contains { $0.key.providerID == "missing-provider" && $0.value.count(.failedStart) == 1 })
            let log = model.eventLog.elements
            let failed = try #require(log.firstIndex { $0.kind == "provider_start_failed" }, "the failed start is in the event log")
            let marker = try #require(log.firstIndex { $0.kind == LatticeState.liveMarkerKind })
            #expect(failed < marker && marker == log.count - 1)
            #expect(log[marker].summary.hasPrefix("—— dashboard started ——"))
            #expect(!log.contains { $0.kind == "host_heartbeat" }, "recorded heartbeats are folded, not listed")
        }
    }

    /// The same through the whole dashboard on a scripted terminal, its own probes off (so only
    /// the history can tell): the crash under INCIDENTS, the failed start below the `dashboard
    /// started` line, and `/type:provider_*`.
    @Test func aDashboardStartedAfterACrashShowsIt() async throws {
        try await LatticeFixture.using(.fast(hosts: 2)) { f in
            let record = try GetCommandTests.run(["record", "--nats-url", f.server.url])
            #expect(record.status == 0, "\(record.stderr)")
            let crashed = "rust_http_kv-kvredis"
            _ = await f.events.wait { $0.knownType == .healthCheckPassed }
            await f.simulator.setHealthAnswer(.noEndpoint, provider: crashed)
            let crashedAt = Date()
            await f.simulator.trigger(.failedStart)
            _ = await f.events.wait(timeout: .seconds(20)) { e in
                e.knownType == .healthCheckStatus && (e.date ?? .distantPast) > crashedAt.addingTimeInterval(7)
            }
            let app = FaultDashboardTests.App(servers: [f.server.url], model: LatticeStateConfiguration(providerHealthStaleAfter: 5),
                                              healthProbeInterval: 0, history: HistoryConfiguration(start: .ago(.seconds(3600))))
            await app.pane("3")
            await app.expectScreen("1 crash")
            let row = app.terminal.text.split(separator: "\n").first { $0.contains(crashed) }
            #expect(row?.contains("1 crash") == true, "\(row ?? "")")
            // Dated by its last report before the dashboard started: the history told it, not
            // the live heartbeats (which would say "no health report since it was first listed").
            app.terminal.type("/kvredis")
            app.terminal.press(.enter, .enter)
            await app.expectScreen("health inspector")
            await app.expectScreen("(last report then)")
            #expect(!app.terminal.text.contains("since it was first listed"))
            app.terminal.press(.escape)
            await app.pane("7")
            await app.expectScreen("—— dashboard started ——")
            let lines = app.terminal.text.split(separator: "\n")
            let marker = lines.firstIndex { $0.contains("—— dashboard started ——") }
            let failed = lines.firstIndex { $0.contains("provider_start_failed") }
            #expect(marker != nil && failed != nil && marker! < failed!, "the failed start is history, below the line")
            app.terminal.type("/type:provider_*")
            app.terminal.press(.enter)
            await app.expectScreen("/type:provider_*")
            #expect(!app.terminal.text.contains("host_heartbeat") && app.terminal.text.contains("provider_start_failed"))

            // Time travel (item 5) to before the crash: the provider ran, healthy, no incident. The
            // moment: the second after its last health report before it went silent (well within
            // the 5 s its silence takes to count as a crash).
            let lastReport = try #require(f.events.all.filter { e in
                guard let date = e.date, date < crashedAt else { return false }
                switch e.payload {
                case .healthCheckPassed(let h), .healthCheckStatus(let h): return h.providerID == crashed
                default: return false
                }
            }.last?.date)
            let before = ClockText.format(lastReport.addingTimeInterval(1), timeZone: ClockText.zone())
            app.terminal.type(":at \(before)")
            app.terminal.press(.enter)
            await app.expectScreen("⏪ AT \(before)")
            app.terminal.type("3")
            await app.expectScreen("Providers (1) /kvredis")
            let then = app.terminal.text.split(separator: "\n").first { $0.contains(crashed) }
            #expect(then?.contains("healthy") == true && then?.contains("crash") == false, "before the crash: \(then ?? "")")
            app.terminal.type(":live")
            app.terminal.press(.enter)
            await app.expectGone("⏪ AT")
            await app.expectScreen("1 crash")
            await app.stop()
        }
    }

    /// Subscribe first, read up to the last sequence, drop what both saw: every event published
    /// while the dashboard starts arrives exactly once, recorded ones first, in order.
    /// Both with a recorder on its own subjects and with one that copies from wadm's stream
    /// (which lags the live subscription: the replay reads on until it has caught up).
    @Test(arguments: [false, true])
    func noGapAndNoDuplicateBetweenHistoryAndLive(sourcedFromWadm: Bool) async throws {
        let server = try TestServers.start(jetStream: true)
        let nc = try await TestServers.connect(server)
        let publisher = try await TestServers.connect(server, name: "publisher")
        let streams = try NATSStreams(nc)
        let recorder = RecorderStream(lattice: "default")
        var existing: [String: [String]] = [:]
        if sourcedFromWadm {
            _ = try await streams.createOrUpdate(NATSStreamConfiguration(name: EventStreams.wadmHostEvents, subjects: ["wasmbus.evt.*.>"],
                                                                         maxAge: .seconds(70)))
            existing[EventStreams.wadmHostEvents] = ["wasmbus.evt.*.>"]
        }
        let made = try await streams.createOrUpdate(recorder.configuration(includeWadm: false, existing: existing, maxAge: .seconds(3600),
                                                                           maxBytes: -1, replicas: 1))
        #expect(made.info.configuration.sources.isEmpty == !sourcedFromWadm)
        let total = 3000
        for i in 0..<1000 {
            let e = Self.numberedEvent(i)
            try publisher.publish(e.subject, payload: e.body)
        }
        try publisher.flush()
        try await TestServers.waitUntil("the recorder holds the first 1000") {
            ((try? await streams.info(recorder.name))??.messages ?? 0) >= 1000
        }
        // The rest goes on while the monitor subscribes and reads.
        let publishing = Task {
            for i in 1000..<total {
                let e = Self.numberedEvent(i)
                try? publisher.publish(e.subject, payload: e.body)
                if i % 20 == 0 {
                    try? publisher.flush()
                    try? await Task.sleep(for: .milliseconds(2))
                }
            }
            try? publisher.flush()
        }
        let client = LatticeClient(connection: nc, lattice: "default", timeout: .seconds(3))
        let monitor = LatticeMonitor(client: client, configuration: MonitorConfiguration(
            watchV2Hosts: false, watchWadm: false, eventsOnly: true, history: HistoryConfiguration(start: .all, batchSize: 50)))
        try await monitor.start()
        let last = "c\(total - 1)"
        let inputs = await Self.collect(monitor) { all in
            all.contains { input in
                switch input {
                case .event(let e, _), .recorded(let e, _): return Self.configName(e) == last
                default: return false
                }
            }
        }
        await publishing.value
        await monitor.stop()
        var names: [String] = [], recorded = 0, live = 0, liveBeforeEnd = false, ended = false
        for input in inputs {
            switch input {
            case .recorded(let e, _):
                #expect(!ended, "a recorded event after the history's end")
                recorded += 1
                names += [Self.configName(e)].compactMap { $0 }
            case .event(let e, _):
                if !ended { liveBeforeEnd = true }
                live += 1
                names += [Self.configName(e)].compactMap { $0 }
            case .history(let p, _) where p.isFinished:
                ended = true
            default:
                break
            }
        }
        let expected = (0..<total).map { "c\($0)" }
        let missing = Set(expected).subtracting(names).sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }
        #expect(missing.isEmpty, "missing: \(missing.prefix(10))")
        #expect(names.count == Set(names).count, "\(names.count - Set(names).count) duplicates")
        #expect(names == expected, "in order")
        #expect(recorded >= 1000 && live > 0, "recorded \(recorded), live \(live)")
        #expect(!liveBeforeEnd)
        nc.close()
        publisher.close()
        server.stop()
    }

    /// Without a recorder the monitor replays wadm's `wasmbus_events`, only this lattice's events.
    @Test func wadmsStreamServesWhenThereIsNoRecorder() async throws {
        let server = try TestServers.start(jetStream: true)
        let nc = try await TestServers.connect(server)
        let streams = try NATSStreams(nc)
        _ = try await streams.createOrUpdate(NATSStreamConfiguration(name: EventStreams.wadmHostEvents, subjects: ["wasmbus.evt.*.>"],
                                                                     maxAge: .seconds(70)))
        for i in 0..<10 {
            let e = Self.numberedEvent(i, lattice: i % 2 == 0 ? "default" : "other")
            try nc.publish(e.subject, payload: e.body)
        }
        try nc.flush()
        try await TestServers.waitUntil("wadm's stream holds the events") {
            (try? await streams.info(EventStreams.wadmHostEvents))??.messages == 10
        }
        let client = LatticeClient(connection: nc, lattice: "default", timeout: .seconds(3))
        let monitor = LatticeMonitor(client: client, configuration: MonitorConfiguration(
            watchV2Hosts: false, watchWadm: false, eventsOnly: true, history: HistoryConfiguration(start: .all)))
        try await monitor.start()
        let inputs = await Self.collect(monitor) { Self.finished($0) != nil }
        await monitor.stop()
        let names = inputs.compactMap { input -> String? in
            if case .recorded(let e, _) = input { return Self.configName(e) }
            return nil
        }
        #expect(names == ["c0", "c2", "c4", "c6", "c8"])
        #expect(Self.finished(inputs) == .loaded(stream: "wasmbus_events", since: nil, events: 5, duplicates: 0))
        nc.close()
        server.stop()
    }

    /// The first sync's ping goes out once the history's stream look-up is answered (not into a
    /// connection and a task pool about to fill with every host's answers, behind which the
    /// look-up, and so the whole picture held in the gate, would wait), and no later than
    /// `HistoryReplay.lookupHead` when the look-up is not answered. A fake JetStream answers
    /// "stream not found" after `delay`.
    @Test(arguments: [100, 3000])
    func theFirstSyncPingsAfterTheStreamLookUp(delayMilliseconds delay: Int) async throws {
        let server = try TestServers.start(jetStream: false)
        defer { server.stop() }
        let fake = try await TestServers.connect(server, name: "fake")
        defer { fake.close() }
        final class Log: Sendable {
            let entries = Mutex<[(what: String, at: ContinuousClock.Instant)]>([])
            func note(_ what: String) { entries.withLock { $0.append((what, .now)) } }
        }
        let seen = Log()
        let lookups = try fake.subscribe("$JS.API.STREAM.INFO.>")
        let pings = try fake.subscribe("wasmbus.ctl.v1.default.host.ping")
        let notFound = Data(#"{"type":"io.nats.jetstream.api.v1.stream_info_response","error":{"code":404,"err_code":10059,"description":"stream not found"}}"#.utf8)
        let answering = Task {
            for await batch in lookups {
                for m in batch {
                    seen.note(m.subject)
                    guard let reply = m.reply else { continue }
                    Task {
                        try? await Task.sleep(for: .milliseconds(delay))
                        try? fake.publish(reply, payload: notFound)
                    }
                }
            }
        }
        let watching = Task { for await batch in pings { for _ in batch { seen.note("ping") } } }
        defer { answering.cancel(); watching.cancel() }
        try fake.flush()
        let nc = try await TestServers.connect(server)
        defer { nc.close() }
        let client = LatticeClient(connection: nc, lattice: "default", timeout: .seconds(5))
        let monitor = LatticeMonitor(client: client, configuration: MonitorConfiguration(
            watchV2Hosts: false, watchWadm: false, history: HistoryConfiguration(start: .ago(.seconds(3600)))))
        let started = ContinuousClock.now
        try await monitor.start()
        let deadline = ContinuousClock.now + .seconds(10)
        while !seen.entries.withLock({ $0.contains { $0.what == "ping" } }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        await monitor.stop()
        let log = seen.entries.withLock { $0 }
        let ping = try #require(log.first { $0.what == "ping" }, "no ping: \(log.map(\.what))")
        if delay < 250 {
            // Both look-ups (the recorder's stream, then wadm's) were asked and answered first
            // (the sync's own look-up of the config bucket may go with its ping).
            let before = Set(log.prefix { $0.what != "ping" }.map(\.what))
            for source in HistoryReplay.sources(lattice: "default") {
                #expect(before.contains("$JS.API.STREAM.INFO." + source.stream), "\(log.map(\.what))")
            }
            #expect(ping.at - started >= .milliseconds(2 * delay - 20), "\(ping.at - started)")
        } else {
            // The look-up does not answer in time: the sync goes ahead after `lookupHead`.
            #expect(ping.at - started >= HistoryReplay.lookupHead - .milliseconds(20), "\(ping.at - started)")
            #expect(ping.at - started < .milliseconds(delay / 2), "\(ping.at - started)")
        }
    }

    /// No stream (or no JetStream at all): one line says so, and live events flow.
    @Test func withoutAStreamLiveEventsFlowAndTheReasonIsGiven() async throws {
        for jetStream in [true, false] {
            let server = try TestServers.start(jetStream: jetStream)
            let nc = try await TestServers.connect(server)
            let client = LatticeClient(connection: nc, lattice: "default", timeout: .milliseconds(500))
            let monitor = LatticeMonitor(client: client, configuration: MonitorConfiguration(
                watchV2Hosts: false, watchWadm: false, eventsOnly: true, history: HistoryConfiguration(start: .ago(.seconds(3600)))))
            try await monitor.start()
            let e = Self.numberedEvent(7)
            try nc.publish(e.subject, payload: e.body)
            try nc.flush()
            let inputs = await Self.collect(monitor) { all in
                all.contains { if case .event = $0 { return true } else { return false } }
            }
            await monitor.stop()
            guard case .unavailable(let reason)? = Self.finished(inputs) else {
                Issue.record("jetStream \(jetStream): \(String(describing: Self.finished(inputs)))")
                continue
            }
            #expect(reason.contains(jetStream ? "LATTICETOP_EVENTS_default" : "JetStream does not answer"), "\(reason)")
            #expect(inputs.contains { if case .event = $0 { return true } else { return false } })
            nc.close()
            server.stop()
        }
    }
}

/// The gate between live inputs and the consumer, without a network.
@Suite struct InputGateTests {
    static func event(_ i: Int) -> LatticeInput {
        let e = HistoryReplayTests.numberedEvent(i)
        guard case .success(let event) = LatticeEventDecoder.decode(e.body) else { fatalError("test event does not decode") }
        return .event(event, at: Date(timeIntervalSince1970: Double(i)))
    }

    @Test func heldInputsFollowTheAnnouncementLessTheRecordedOnes() {
        let queue = BatchQueue<LatticeInput>()
        let gate = InputGate(queue: queue, capacity: 100)
        gate.close()
        gate.push([Self.event(1), Self.event(2), Self.event(3)])
        #expect(queue.drain().isEmpty, "held while closed")
        let recorded: Set<String> = [Self.event(1), Self.event(2)].compactMap { input in
            if case .event(let e, _) = input { return LatticeMonitor.eventKey(e) } else { return nil }
        }.reduce(into: []) { $0.insert($1) }
        let duplicates = gate.open(dropping: recorded) { n in [.history(.loaded(stream: "S", since: nil, events: 2, duplicates: n), at: .distantPast)] }
        #expect(duplicates == 2)
        gate.push(Self.event(4))
        let out = queue.drain()
        #expect(out.count == 3)
        #expect(out.first == .history(.loaded(stream: "S", since: nil, events: 2, duplicates: 2), at: .distantPast))
        #expect(Array(out.dropFirst()) == [Self.event(3), Self.event(4)])
    }

    /// Attempts to connect show at once; once connected, its changes wait behind the history.
    @Test func connectionChangesPassUntilTheConnectionIsUp() {
        let queue = BatchQueue<LatticeInput>()
        let gate = InputGate(queue: queue, capacity: 100)
        gate.close()
        let t = Date(timeIntervalSince1970: 0)
        gate.push(.connection(.reconnecting(attempt: 1), at: t))
        #expect(queue.drain() == [.connection(.reconnecting(attempt: 1), at: t)])
        gate.holdConnectionChanges()
        gate.push(.connection(.connected(server: "s"), at: t))
        gate.push(Self.event(1))
        #expect(queue.drain().isEmpty)
        gate.open(dropping: []) { _ in [] }
        #expect(queue.drain() == [.connection(.connected(server: "s"), at: t), Self.event(1)])
    }

    @Test func whatDoesNotFitWhileHeldIsCounted() {
        let queue = BatchQueue<LatticeInput>()
        let gate = InputGate(queue: queue, capacity: 2)
        gate.close()
        gate.push([Self.event(1), Self.event(2), Self.event(3)])
        gate.open(dropping: []) { _ in [] }
        let out = queue.drain()
        #expect(out.prefix(2) == [Self.event(1), Self.event(2)])
        guard case .dropped(_, let total, _)? = out.last else {
            Issue.record("no drop count: \(out)")
            return
        }
        #expect(total == 1)
    }
}
