import Foundation
import LatticeClient
import LatticeProtocol
import LatticeState
import NATSKit

/// Replays a lattice's recorded events into the monitor's queue: the flight recorder when it
/// exists, else wadm's `wasmbus_events` filtered to the lattice. Runs after the live
/// subscriptions are made (their inputs wait in the gate), reads up to the stream's last
/// sequence as it was then, and opens the gate, dropping live events the history already had.
enum HistoryReplay {
    struct Source: Equatable {
        var stream: String
        var filter: String?
    }

    /// Where a lattice's events may be recorded, in order of preference.
    static func sources(lattice: String) -> [Source] {
        [Source(stream: EventStreams.recorder(lattice: lattice), filter: nil),
         Source(stream: EventStreams.wadmHostEvents, filter: EventSubjects(lattice: lattice).wildcard)]
    }

    /// How long the first sync waits for the replay's look-up of its stream (`run`'s `looked`).
    static let lookupHead = Duration.milliseconds(250)

    /// Replays, then opens the gate. `looked` is called once the stream to read is known (or
    /// that there is none, or the replay ended): the monitor sends the first sync's ping then, so
    /// the look-up's round trips do not queue behind every host's answers (at 10,000 hosts, the
    /// ping replies and inventories that fill the connection and the task pool for a second or
    /// more, while the gate holds all of them back).
    static func run(_ configuration: HistoryConfiguration, client: LatticeClient, domain: String?, limit: Int,
                    queue: BatchQueue<LatticeInput>, gate: InputGate, looked: @Sendable () -> Void = {}) async {
        defer { looked() }
        // Nothing can be read (and nothing live arrives) before the connection is up.
        while !client.connection.state.isConnected {
            try? await Task.sleep(for: .milliseconds(100))
            if Task.isCancelled { return }
        }
        let since = configuration.startDate(now: Date())
        let state = ReplayCounter()
        var chosen: Source?
        func finish(_ progress: HistoryProgress) {
            gate.open(dropping: state.keys) { duplicates in
                if case .loaded(let stream, let since, let events, _) = progress {
                    return [.history(.loaded(stream: stream, since: since, events: events, duplicates: duplicates), at: Date())]
                }
                return [.history(progress, at: Date())]
            }
        }
        do throws(NATSError) {
            let streams = try NATSStreams(client.connection, domain: domain, timeout: max(client.timeout, .seconds(2)))
            var info: NATSStreamInfo?
            for source in sources(lattice: client.lattice) {
                if let found = try await streams.info(source.stream) {
                    chosen = source
                    info = found
                    break
                }
            }
            looked()
            guard let source = chosen, let info else {
                let names = sources(lattice: client.lattice).map(\.stream).joined(separator: " or ")
                return finish(.unavailable(reason: "no stream keeps lattice \(client.lattice)'s events (\(names)); `latticetop record` starts one"))
            }
            queue.push(.history(.loading(stream: source.stream, since: since, loaded: 0, expected: Int(info.messages)), at: Date()))
            let until = configuration.until
            let fetchTimeout = max(client.timeout, .seconds(2))
            /// One batch into the queue; false once past `until`.
            @Sendable func consume(_ batch: [NATSStoredMessage]) async -> Bool {
                var inputs: [LatticeInput] = []
                inputs.reserveCapacity(batch.count + 1)
                var reachedEnd = false
                for message in batch {
                    state.lastSequence = max(state.lastSequence, message.sequence)
                    if let until, message.time > until { reachedEnd = true; break }
                    let input = LatticeMonitor.decode(subject: message.subject, data: message.data, at: message.time, as: .event, limit: limit)
                    switch input {
                    case .event(let event, let at)?:
                        let key = LatticeMonitor.eventKey(event)
                        state.keys.insert(key)
                        state.roundKeys.insert(key)
                        inputs.append(.recorded(event, at: at))
                    case let other?:
                        inputs.append(other)
                    case nil:
                        break
                    }
                }
                state.loaded += inputs.count
                state.reachedUntil = state.reachedUntil || reachedEnd
                let expected = state.loaded + Int(batch.last?.pending ?? 0)
                inputs.append(.history(.loading(stream: source.stream, since: since, loaded: state.loaded, expected: expected), at: Date()))
                // Backpressure: let the consumer catch up rather than overflow its queue.
                while queue.count > queue.capacity / 2 && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
                queue.push(inputs)
                return !reachedEnd && !Task.isCancelled
            }
            try await streams.read(source.stream, filterSubject: source.filter, from: since, through: info.lastSequence,
                                   batchSize: configuration.batchSize, fetchTimeout: fetchTimeout, consume)
            state.lastSequence = max(state.lastSequence, info.lastSequence)
            // A stream that copies from another (the recorder sourcing wadm's stream) lags the live
            // subscription: what was published just before it may not have been copied yet. Read
            // on until the stream holds an event the subscription also got (sources copy in order,
            // so nothing before it is missing), or nothing more comes.
            if !info.configuration.sources.isEmpty && !state.reachedUntil {
                var quiet = 0, rounds = 0
                while quiet < 3 && rounds < 20 && !Task.isCancelled {
                    rounds += 1
                    try? await Task.sleep(for: .milliseconds(100))
                    guard let now = try await streams.info(source.stream), now.lastSequence > state.lastSequence else {
                        quiet += 1
                        continue
                    }
                    state.roundKeys = []
                    let after = state.lastSequence
                    try await streams.read(source.stream, filterSubject: source.filter, afterSequence: after, through: now.lastSequence,
                                           batchSize: configuration.batchSize, fetchTimeout: fetchTimeout, consume)
                    state.lastSequence = max(state.lastSequence, now.lastSequence)
                    if state.reachedUntil || !state.roundKeys.isDisjoint(with: gate.heldKeys()) { break }
                }
            }
            finish(.loaded(stream: source.stream, since: since, events: state.loaded, duplicates: 0))
        } catch {
            let message: String
            switch error {
            case .noResponders, .timeout: message = "JetStream does not answer (\(error.description))"
            default: message = error.description
            }
            if chosen == nil {
                finish(.unavailable(reason: message))
            } else {
                finish(.failed(stream: chosen?.stream, message: message, loaded: state.loaded))
            }
        }
    }
}

/// What the read's batches add up to (the batch closure runs one batch at a time).
private final class ReplayCounter: @unchecked Sendable {
    var keys = Set<String>()
    /// The keys read in the latest catch-up round.
    var roundKeys = Set<String>()
    var loaded = 0
    var lastSequence: UInt64 = 0
    var reachedUntil = false
}
