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
            ringCapacity: Self.ringCapacity, previewBytes: previewBytes, replyTimeout: .milliseconds(replyTimeoutMs),
            inboxPrefixes: inboxPrefixes.isEmpty ? ["_INBOX"] : inboxPrefixes,
            subscriptionBufferLimit: Self.subscriptionBufferLimit, foreignCalls: showForeign ? .mark : .drop)
        let scope: SpyScope = componentID.map { .component($0) } ?? .lattice
        let session = SpySession(client: client, scope: scope, configuration: spyConfiguration)
        // Bounded: a printer slower than the capture loses whole batches, counted (eventsDropped),
        // instead of queueing without end (memory, and seconds of output after Ctrl-C).
        let events = session.capture.events(bufferBatches: Self.eventBatches)
        StopRequest.shared.listen()
        do { try await session.start() } catch { throw CommandSupport.fail(error.description) }
        await announce(session, lattice: settings.lattice)

        let printer = SpyOutput(format: output == .text ? .text : .jsonl, filter: match, limit: count, hold: .milliseconds(holdMs))
        // Timely output without traffic: held text lines, and drop reports on stderr.
        let ticker = Task.detached {
            var reported: UInt64 = 0
            var lastReport = ContinuousClock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
                printer.tick()
                if ContinuousClock.now - lastReport >= .seconds(1) {
                    lastReport = .now
                    let dropped = session.capture.counters.dropped
                    if dropped > reported && CommandSupport.outputIsOpen {
                        CommandSupport.warn("\(dropped) messages dropped so far (consumer too slow)")
                        reported = dropped
                    }
                }
            }
        }
        // A stop request (Ctrl-C, SIGTERM, the reader gone), at once on the requesting thread: the
        // subscriptions let go of what they hold, and the loop below wakes to stop.
        StopRequest.shared.onStop { _ in
            session.capture.discardQueued()
            session.capture.wakeListeners()
        }

        var iterator = events.makeAsyncIterator()
        var unprinted = 0
        while let batch = await iterator.next() {
            unprinted += printer.handle(batch) { StopRequest.shared.reason != nil }
            if printer.isDone || StopRequest.shared.reason != nil || !CommandSupport.outputIsOpen { break }
        }
        ticker.cancel()
        // Stop reading now: what the subscriptions still hold is counted, not read.
        await session.stop(discardingQueued: true)
        // Captured but not printed any more (the stream has ended): counted as dropped at stop.
        while let batch = await iterator.next() { unprinted += batch.messageCount }
        nats.close()
        if CommandSupport.outputIsOpen {
            // Held text lines (calls still without an outcome): all of them after --count, what
            // fits in a moment after a signal.
            printer.finish(deadline: StopRequest.shared.reason == nil ? .now + .seconds(3600) : .now + .milliseconds(200))
            CommandSupport.note(Self.totals(session.capture.counters, unprinted: unprinted, lines: printer.linesPrinted))
        }
        try CommandSupport.finishOutput()
    }

    /// Messages kept in the capture's ring: the command prints from the event stream, and the ring
    /// only backs pairing and the totals, so it is kept small (memory after 10 M messages).
    static let ringCapacity = 4_096
    /// Messages each subscription (and cnats' queue before it) holds for a printer that falls
    /// behind: a burst of this size is absorbed, a flood beyond it is dropped and counted.
    static let subscriptionBufferLimit = 4_096

    /// Event batches (of up to `SpyConfiguration.ingestChunk` messages) queued for the printer.
    static let eventBatches = 8

    /// The last line on stderr: every message the subscriptions were sent, as captured (printed or
    /// deliberately left out) or dropped, and where.
    static func totals(_ c: SpyCounters, unprinted: Int, lines: Int) -> String {
        let atStop = c.discardedAtStop + UInt64(unprinted)
        let dropped = c.subscriptionDropped + c.eventsDropped + atStop
        let captured = c.received - min(c.received, c.eventsDropped + UInt64(unprinted))
        return "latticetop spy: \(c.arrived) messages received: \(captured) captured, \(dropped) dropped "
            + "(\(c.subscriptionDropped) at the subscriptions, \(c.eventsDropped) by the output, \(atStop) at stop); "
            + "\(lines) lines printed"
    }

    /// Tells stderr what is watched (stdout stays data only).
    private func announce(_ session: SpySession, lattice: String) async {
        guard let id = componentID else {
            CommandSupport.note("Spying on every wRPC call in lattice \(lattice)")
            return
        }
        do {
            let linked = try await session.refreshLinks()
            CommandSupport.note("Spying on component \(id) (\(linked.isEmpty ? "no links" : "links with " + linked.joined(separator: ", ")))")
        } catch {
            CommandSupport.warn("\(error); spying on \(id)'s own subject only")
        }
    }
}
