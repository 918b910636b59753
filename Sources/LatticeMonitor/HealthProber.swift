import Foundation
import LatticeClient
import LatticeProtocol
import LatticeState
import NATSKit
import Synchronization

/// Runs latticetop's provider health probes (`LatticeClient.providerHealth`) and turns what
/// each got into a `ProbeOutcome`.
public enum HealthProber {
    /// Probes `providerIDs` concurrently (at most `parallel` at a time) and pushes the results
    /// as `.healthProbe` inputs in runs (`ProbeResultBatcher`): the reducer applies a run with one
    /// look-up of the hosts running each provider, not one pass over every host a result.
    public static func probe(_ providerIDs: [String], client: LatticeClient, rpc: NATSConnection? = nil,
                             parallel: Int = 64, into inputs: BatchQueue<LatticeInput>) async {
        let batcher = ProbeResultBatcher { inputs.push($0) }
        await probe(providerIDs, client: client, rpc: rpc, parallel: parallel) { id, outcome in
            batcher.add(.healthProbe(providerID: id, outcome: outcome, at: Date()))
        }
        batcher.flush()
    }

    /// Probes `providerIDs` concurrently and hands each result to `report` as it arrives.
    public static func probe(_ providerIDs: [String], client: LatticeClient, rpc: NATSConnection? = nil, parallel: Int = 64,
                             report: @escaping @Sendable (String, ProbeOutcome) -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for id in providerIDs {
                if running >= max(1, parallel) {
                    await group.next()
                    running -= 1
                }
                group.addTask {
                    let result: Result<HealthCheckResponse, LatticeClientError>
                    do throws(LatticeClientError) {
                        result = .success(try await client.providerHealth(id, on: rpc))
                    } catch {
                        result = .failure(error)
                    }
                    if let outcome = outcome(of: result) { report(id, outcome) }
                }
                running += 1
            }
        }
    }

    /// What a probe's result says: the answer; no reply in time → not answering; no responders →
    /// no health endpoint. An answer that is not a `HealthCheckResponse` is an answer, and not a
    /// healthy one. Nil when the probe could not be sent (a closed connection): that proves
    /// nothing about the provider.
    public static func outcome(of result: Result<HealthCheckResponse, LatticeClientError>) -> ProbeOutcome? {
        switch result {
        case .success(let response):
            return response.healthy ? .healthy(message: response.message) : .unhealthy(message: response.message)
        case .failure(.noResponders):
            return .noHealthEndpoint
        case .failure(.malformedReply(_, let detail)):
            return .unhealthy(message: "undecodable health reply: \(detail)")
        case .failure(.timeout):
            return .notAnswering
        case .failure(.nats), .failure(.invalidArgument), .failure(.refused):
            return nil
        }
    }
}

/// Gathers probe results and hands them on in runs: when `size` are waiting, when the oldest
/// waiting one is `age` old as another arrives, and at the end of a round (`flush`).
final class ProbeResultBatcher: Sendable {
    private struct State {
        var waiting: [LatticeInput] = []
        var since: ContinuousClock.Instant?
    }
    private let state = Mutex(State())
    private let size: Int
    private let age: Duration
    private let hand: @Sendable ([LatticeInput]) -> Void

    init(size: Int = 256, age: Duration = .milliseconds(100), hand: @escaping @Sendable ([LatticeInput]) -> Void) {
        self.size = max(1, size)
        self.age = age
        self.hand = hand
    }

    func add(_ input: LatticeInput, now: ContinuousClock.Instant = .now) {
        let due: [LatticeInput] = state.withLock { s in
            s.waiting.append(input)
            if s.since == nil { s.since = now }
            guard s.waiting.count >= size || now - s.since! >= age else { return [] }
            defer { s.waiting = []; s.since = nil }
            return s.waiting
        }
        if !due.isEmpty { hand(due) }
    }

    func flush() {
        let due: [LatticeInput] = state.withLock { s in
            defer { s.waiting = []; s.since = nil }
            return s.waiting
        }
        if !due.isEmpty { hand(due) }
    }
}
