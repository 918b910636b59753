import ArgumentParser
import Foundation
import LatticeSpy
import NATSKit

/// `latticetop spy [COMPONENT_ID]`: live wRPC calls with their outcome and latency, one line per
/// call (text) or one JSON object per event (jsonl).
struct SpyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spy",
        abstract: "Watch wRPC calls live, paired with their replies (latency, errors, timeouts).",
        discussion: """
            With a component ID: calls to it and calls it makes to what it links to (from link.get); calls \
            other components make to the same providers are left out (--show-foreign keeps them, marked). \
            Without: every call in the lattice. Replies are paired on the reply inboxes (_INBOX.> unless \
            --inbox-prefix is given). Spying needs the NATS server that carries wRPC (the RPC connection).

            text: one line per call when it ends, or after --hold-ms with "…" and a "↳" line when it ends. \
            jsonl: a {"event":"message"} object per captured message (invocation, handshake, results, params) \
            and a {"event":"call"} object when a call ends; payloads as a preview plus the kept prefix in \
            base64 ("truncated" says when bytes are left out). Drops are reported on stderr.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case jsonl
    }

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Component ID to spy on; omit for every call in the lattice.") var componentID: String?
    @Option(name: [.customShort("o"), .long], help: "Output format: text or jsonl.") var output: Format = .text
    @Option(help: "Stop after this many calls (waits for their outcome; for scripts).") var count: Int?
    @Option(name: .customLong("inbox-prefix"), help: ArgumentHelp("Reply inbox prefix to pair replies on (repeatable; default _INBOX).", valueName: "prefix"))
    var inboxPrefixes: [String] = []
    @Option(name: .customLong("reply-timeout-ms"), help: "A call without results after this long is timed out.") var replyTimeoutMs: Int = 10_000
    @Option(name: .customLong("hold-ms"), help: "Text: wait this long for a call to end before printing it as pending.") var holdMs: Int = 250
    @Option(help: "Only calls whose subject, operation, instance or function match this regular expression (case-insensitive).")
    var filter: String?
    @Option(name: .customLong("preview-bytes"), help: "Payload bytes kept per message for the preview.") var previewBytes: Int = 64
    @Flag(help: "Keep calls other components make to the spied component's link targets, marked [foreign].") var showForeign = false

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be 1 or more") }
        if replyTimeoutMs < 1 { throw ValidationError("--reply-timeout-ms must be positive") }
        if holdMs < 0 { throw ValidationError("--hold-ms must be 0 or more") }
        if previewBytes < 0 { throw ValidationError("--preview-bytes must be 0 or more") }
        if let filter { _ = try SpyFilter(filter) }
    }

    func run() async throws {
        let settings: ConnectionSettings
        do { settings = try connection.settings() } catch { throw CommandSupport.fail("\(error)") }
        let match: SpyFilter?
        do { match = try filter.map(SpyFilter.init) } catch { throw CommandSupport.fail("invalid --filter: \(error)") }
        let nats = try await CommandSupport.connect(settings, retry: true)
        let client = CommandSupport.client(nats, settings)
        let spyConfiguration = SpyConfiguration(
            previewBytes: previewBytes, replyTimeout: .milliseconds(replyTimeoutMs),
            inboxPrefixes: inboxPrefixes.isEmpty ? ["_INBOX"] : inboxPrefixes, foreignCalls: showForeign ? .mark : .drop)
        let scope: SpyScope = componentID.map { .component($0) } ?? .lattice
        let session = SpySession(client: client, scope: scope, configuration: spyConfiguration)
        let events = session.capture.events(bufferBatches: 1024)
        do { try await session.start() } catch { throw CommandSupport.fail(error.description) }
        await announce(session, lattice: settings.lattice)

        let (inputs, feed) = AsyncStream<Input>.makeStream()
        let forward = Task {
            for await batch in events { feed.yield(.events(batch)) }
            feed.finish()
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
                feed.yield(.tick)
            }
        }
        let stopper = Task {
            await CommandSupport.waitForTermination()
            await session.stop()
        }

        var state = OutputState(format: output, filter: match, limit: count, hold: .milliseconds(holdMs))
        var reportedDrops: UInt64 = 0
        loop: for await input in inputs {
            switch input {
            case .events(let batch):
                state.handle(batch)
            case .tick:
                state.tick()
                let drops = session.capture.counters.dropped
                if drops > reportedDrops {
                    CommandSupport.warn("\(drops) messages dropped so far (consumer too slow)")
                    reportedDrops = drops
                }
            }
            if state.isDone { break loop }
        }
        state.finish()
        ticker.cancel()
        stopper.cancel()
        await session.stop()
        forward.cancel()
        nats.close()
    }

    private enum Input: Sendable {
        case events([SpyEvent])
        case tick
    }

    /// Tells stderr what is watched (stdout stays data only).
    private func announce(_ session: SpySession, lattice: String) async {
        func note(_ text: String) { FileHandle.standardError.write(Data((SafeText.sanitize(text) + "\n").utf8)) }
        guard let id = componentID else {
            note("Spying on every wRPC call in lattice \(lattice)")
            return
        }
        do {
            let linked = try await session.refreshLinks()
            note("Spying on component \(id) (\(linked.isEmpty ? "no links" : "links with " + linked.joined(separator: ", ")))")
        } catch {
            CommandSupport.warn("\(error); spying on \(id)'s own subject only")
        }
    }

    /// What to print, the `--count` budget and the text printer's holding.
    private struct OutputState {
        let format: Format
        let filter: SpyFilter?
        let limit: Int?
        var printer: SpyTextPrinter
        /// Invocations taken under `--count`, and those whose call has not ended.
        var counted: Set<UInt64> = []
        var open: Set<UInt64> = []

        init(format: Format, filter: SpyFilter?, limit: Int?, hold: Duration) {
            self.format = format
            self.filter = filter
            self.limit = limit
            printer = SpyTextPrinter(hold: hold)
        }

        var isDone: Bool {
            guard let limit else { return false }
            return counted.count >= limit && open.isEmpty && printer.heldCount == 0
        }

        mutating func handle(_ batch: [SpyEvent]) {
            var shown: [SpyEvent] = []
            for event in batch {
                switch event {
                case .message(let m):
                    if let filter, !filter.matches(m) { continue }
                    if m.kind == .invocation {
                        guard take(m.sequence) else { continue }
                        if !m.outcome.isFinal { open.insert(m.sequence) }
                    } else if limit != nil && !counted.contains(m.callSequence) {
                        continue
                    }
                case .call(let call):
                    if let filter, !filter.matches(call.invocation) { continue }
                    if limit != nil {
                        guard counted.contains(call.sequence) || take(call.sequence) else { continue }
                        open.remove(call.sequence)
                    }
                }
                shown.append(event)
            }
            switch format {
            case .text:
                emit(printer.lines(for: shown))
            case .jsonl:
                emit(shown.compactMap(Self.json))
            }
        }

        /// Whether an invocation fits in the `--count` budget (always, without one).
        private mutating func take(_ sequence: UInt64) -> Bool {
            guard let limit else { return true }
            if counted.contains(sequence) { return true }
            guard counted.count < limit else { return false }
            counted.insert(sequence)
            return true
        }

        mutating func tick() {
            if format == .text { emit(printer.flush()) }
        }

        mutating func finish() {
            if format == .text { emit(printer.flush(now: .now + .seconds(3600))) }
        }

        static func json(_ event: SpyEvent) -> String? {
            let record: SpyRecord
            switch event {
            case .message(let m): record = SpyRecord(m)
            case .call(let c): record = SpyRecord(c.invocation, event: "call")
            }
            return try? SpyNDJSON.line(record)
        }

        private func emit(_ lines: [String]) {
            guard !lines.isEmpty else { return }
            CommandSupport.printText(lines.map { SafeText.sanitize($0) + "\n" }.joined())
        }
    }
}
