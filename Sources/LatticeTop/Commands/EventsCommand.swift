import ArgumentParser
import Foundation
import LatticeMonitor
import LatticeProtocol
import LatticeState

/// `latticetop events`: lattice events as they happen, one line each.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Stream lattice events live (wasmbus.evt, wadm, v2 heartbeats); malformed ones are reported, not fatal.",
        discussion: """
            With --since, the recorded events from then on come first, in order (from the flight recorder \
            LATTICETOP_EVENTS_<lattice>, see `latticetop record`, else from wadm's wasmbus_events), then live \
            ones follow without a gap or a duplicate, unless --no-follow; --until stops at that moment.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case jsonl
    }

    @OptionGroup var connection: ConnectionOptions
    @Option(name: [.customShort("o"), .long], help: "Output format: text or jsonl (one CloudEvent per line, wire JSON).")
    var output: Format = .text
    @Flag(help: "Leave out host heartbeats.") var noHeartbeats = false
    @Option(help: "Stop after this many events (for scripts).") var count: Int?
    @Option(help: ArgumentHelp("First print the recorded events since then: \(TimeBound.help).", valueName: "time"))
    var since: String?
    @Option(help: ArgumentHelp("With --since: stop at this moment (\(TimeBound.help)).", valueName: "time"))
    var until: String?
    @Flag(help: "With --since: print the recorded events and exit, without following live ones.") var noFollow = false
    @Option(help: "Text output: call a host stale after this many seconds without a heartbeat (wadm's rule: 70).")
    var staleAfter: Double = 70
    @Option(help: "Text output: call a provider silent after this many seconds without a health report.")
    var healthStaleAfter: Double = 65

    func validate() throws {
        if since == nil && (until != nil || noFollow) { throw ValidationError("--until and --no-follow go with --since") }
        if let since, TimeBound.parse(since, now: Date()) == nil { throw ValidationError("--since takes \(TimeBound.help), not '\(since)'") }
        if let until, TimeBound.parse(until, now: Date()) == nil { throw ValidationError("--until takes \(TimeBound.help), not '\(until)'") }
    }

    func run() async throws {
        let settings: ConnectionSettings
        do { settings = try connection.settings() } catch { throw CommandSupport.fail("\(error)") }
        let started = Date()
        let from = since.flatMap { TimeBound.parse($0, now: started) }
        let to = until.flatMap { TimeBound.parse($0, now: started) }
        let nats = try await CommandSupport.connect(settings, retry: from == nil)
        let client = CommandSupport.client(nats, settings)
        // Text output also follows the model (with syncs), to tell what no event says: silence.
        let withModel = output == .text
        let monitor = LatticeMonitor(client: client, configuration: MonitorConfiguration(
            watchWadm: true, eventsOnly: !withModel, jsDomain: settings.jsDomain,
            history: from.map { HistoryConfiguration(start: .at($0), until: to) }))
        // The triage covers everything asked for (at least the last hour).
        var model = LatticeState(configuration: LatticeStateConfiguration(
            hostStaleAfter: staleAfter, providerHealthStaleAfter: healthStaleAfter,
            triageWindow: max(3600, from.map { started.timeIntervalSince($0) } ?? 0)))
        do { try await monitor.start() } catch { throw CommandSupport.fail(error.description) }
        let printer = EventLinePrinter(format: output, heartbeats: !noHeartbeats)
        let stopper = Task {
            await CommandSupport.waitForTermination()
            await monitor.stop()
        }
        let ticker = withModel || to != nil ? Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                monitor.inputs.push(.tick(Date()))
            }
        } : nil
        var printed = 0
        var failure: String?
        // Without --since every input is live; with it, live begins after the history's end.
        var live = from == nil
        stream: while let batch = await monitor.inputs.next() {
            if withModel {
                // One copy per batch, not per input: the diff needs the state before the batch.
                // Replayed history is folded quietly: its transitions are not news.
                let before = model
                model.apply(contentsOf: batch)
                if live && before.history.isLoading == false {
                    for change in ModelTransitions.between(before, model) {
                        let line = SafeText.sanitize("\(ISO8601DateFormatter().string(from: Date()))  MODEL  \(change)") + "\n"
                        guard CommandSupport.printText(line) else { break stream }
                    }
                }
            }
            for input in batch {
                if let to, live, input.at > to, Self.endsAtUntil(input) { break stream }
                if case .history(let progress, _) = input, progress.isFinished, !live {
                    live = true
                    switch progress {
                    case .unavailable(let reason):
                        failure = "no recorded history: \(reason)"
                        break stream
                    case .failed(_, let message, let loaded):
                        if noFollow { failure = "recorded history incomplete after \(loaded) events: \(message)"; break stream }
                        CommandSupport.warn("recorded history incomplete after \(loaded) events: \(message); following live events")
                    case .loaded(let stream, _, let events, _):
                        if withModel {
                            for line in Self.triageLines(model) { guard CommandSupport.printText(line + "\n") else { break stream } }
                        }
                        if noFollow || to.map({ $0 <= Date() }) == true { break stream }
                        CommandSupport.note("latticetop: \(events) recorded events from \(stream); following live events")
                    case .loading:
                        break
                    }
                    continue
                }
                // The connection's state is news once live events follow, not before.
                if !live, case .connection = input { continue }
                guard let line = printer.line(for: input) else { continue }
                // The reader went away (or stdout failed): stop, clean up, exit quietly.
                guard CommandSupport.printText(line + "\n") else { break stream }
                printed += 1
                if let count, printed >= count { break stream }
            }
        }
        ticker?.cancel()
        stopper.cancel()
        await monitor.stop()
        nats.close()
        if let failure { throw CommandSupport.fail(failure) }
        try CommandSupport.finishOutput()
    }

    /// Text output, after the recorded events: what the triage made of them, one line per
    /// provider with incidents (what no single event says: a crash is a silence).
    static func triageLines(_ model: LatticeState) -> [String] {
        let stamp = ISO8601DateFormatter().string(from: Date())
        return model.triage.providers.filter { !$0.value.incidents.isEmpty }.sorted { $0.key < $1.key }.map { key, record in
            var line = "\(stamp)  TRIAGE  provider \(key.providerID) on \(EventLinePrinter.short(key.hostID)): \(Dashboard.incidentCounts(record))"
            line += " in the last \(LatticeTop.Format.age(model.configuration.triageWindow))"
            if let open = record.incidents.last(where: { $0.kind == .crash && $0.ended == nil }) {
                line += "; silent since \(ISO8601DateFormatter().string(from: open.at))"
            }
            if model.isFlapping(record) { line += "; FLAPPING" }
            return SafeText.sanitize(line)
        }
    }

    /// Live inputs whose time says `--until` has passed: events, and the clock.
    static func endsAtUntil(_ input: LatticeInput) -> Bool {
        switch input {
        case .event, .tick: return true
        default: return false
        }
    }
}

/// Turns monitor inputs into output lines: the event's wire JSON (jsonl) or a readable line (text).
struct EventLinePrinter {
    let format: EventsCommand.Format
    let heartbeats: Bool

    func line(for input: LatticeInput) -> String? {
        switch input {
        case .event(let event, _), .recorded(let event, _):
            if !heartbeats && event.knownType == .hostHeartbeat { return nil }
            switch format {
            case .jsonl:
                return (try? event.encoded()).map { SafeText.sanitize(String(decoding: $0, as: UTF8.self)) }
            case .text:
                return SafeText.sanitize("\(event.time ?? "-")  \(Self.shortType(event.type))  \(Self.short(event.source))  \(event.payload.summary)")
            }
        case .undecodable(let subject, let reason, let raw, let at):
            switch format {
            case .jsonl:
                let object: [String: String] = ["error": reason, "subject": subject, "raw": String(decoding: raw.prefix(4096), as: UTF8.self),
                                                "received": ISO8601DateFormatter().string(from: at)]
                return (try? WireJSON.encode(object)).map { SafeText.sanitize(String(decoding: $0, as: UTF8.self)) }
            case .text:
                return SafeText.sanitize("\(ISO8601DateFormatter().string(from: at))  MALFORMED  \(subject)  \(reason)")
            }
        case .v2Heartbeat(let beat, let subject, let at):
            guard heartbeats else { return nil }
            switch format {
            case .jsonl:
                let object: [String: String] = ["v2_heartbeat": subject, "host_id": beat.id, "received": ISO8601DateFormatter().string(from: at)]
                return (try? WireJSON.encode(object)).map { SafeText.sanitize(String(decoding: $0, as: UTF8.self)) }
            case .text:
                return SafeText.sanitize("\(ISO8601DateFormatter().string(from: at))  v2_heartbeat  \(Self.short(beat.id))  v2 host \(beat.friendlyName)")
            }
        case .dropped(let subject, let total, _):
            return format == .text ? "!! \(total) messages dropped on \(subject) (consumer too slow)" : nil
        case .connection(let status, let at):
            guard format == .text else { return nil }
            return "\(ISO8601DateFormatter().string(from: at))  NATS  \(status)"
        default:
            return nil
        }
    }

    static func shortType(_ type: String) -> String {
        for prefix in [LatticeEventType.hostTypePrefix, LatticeEventType.wadmTypePrefix] where type.hasPrefix(prefix) {
            return String(type.dropFirst(prefix.count))
        }
        return type
    }

    static func short(_ id: String) -> String {
        id.count > 12 ? String(id.prefix(12)) + "…" : id
    }
}
