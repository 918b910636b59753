import Foundation
import LatticeClient
import LatticeProtocol
import Logging
import NATSKit

/// Sends one `OperateAction` through `LatticeClient`, then waits for the lattice event that
/// confirms or refutes it (see `OperateAction.verdict(on:)`), and reports a `MutationOutcome`.
/// It listens on `wasmbus.evt.{lattice}.>` *before* sending, so an event a host publishes ahead of
/// its reply (1.x provider stop) is not missed. Every outcome is appended to the audit log.
public struct MutationRunner: Sendable {
    public let client: LatticeClient
    /// How long to wait for the settling event after the host acknowledged.
    public var eventTimeout: Duration
    public var audit: AuditLog?
    /// The wash context name written to the audit log ("-" when none).
    public var contextName: String?
    /// Each request and its outcome (secrets masked, as in the audit log); a no-op unless set.
    public var logger: Logger

    public init(client: LatticeClient, eventTimeout: Duration = .seconds(15), audit: AuditLog? = nil, contextName: String? = nil,
                logger: Logger = Logger(label: "latticetop.operate", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.client = client
        self.eventTimeout = eventTimeout
        self.audit = audit
        self.contextName = contextName
        self.logger = logger
    }

    /// Runs the actions in order, stopping at the first that does not succeed.
    public func run(_ actions: [OperateAction]) async -> [MutationOutcome] {
        var out: [MutationOutcome] = []
        for action in actions {
            let outcome = await run(action)
            out.append(outcome)
            if !outcome.isSuccess { break }
        }
        return out
    }

    public func run(_ requested: OperateAction) async -> MutationOutcome {
        logger.info("sending \(requested.maskedBody())")
        var outcome = await perform(requested)
        logger.log(level: outcome.isSuccess ? .info : .warning, "\(outcome.subject): \(outcome.status): \(outcome.message)")
        if let audit {
            let entry = AuditEntry(time: Date(), context: contextName, lattice: client.lattice, subject: outcome.subject,
                                   body: outcome.action.maskedBody(), outcome: outcome.status + ": " + outcome.message)
            do { try audit.append(entry) } catch { outcome.auditProblem = "\(error)" }
        }
        return outcome
    }

    private func perform(_ requested: OperateAction) async -> MutationOutcome {
        var action = requested
        // A provider start without a host: ask the auction first, as wash does.
        if case .startProvider(var command) = action, command.hostID.isEmpty {
            let request = ProviderAuctionRequest(providerRef: command.providerRef, providerID: command.providerID, constraints: [:])
            do throws(LatticeClientError) {
                guard let winner = try await client.providerAuction(request).first else {
                    return MutationOutcome(action: action, result: .noHostInAuction, subject: client.subjects.providerAuction, sent: true)
                }
                command.hostID = winner.hostID
                action = .startProvider(command)
            } catch {
                return outcome(action, error, subject: client.subjects.providerAuction)
            }
        }
        let subject = action.subject(client.subjects)
        let events: NATSSubscription
        do {
            events = try client.connection.subscribe(EventSubjects(lattice: client.lattice).wildcard)
            try client.connection.flush()
        } catch {
            return MutationOutcome(action: action, result: .error(message: "cannot listen for events: \(error)"), subject: subject, sent: false)
        }
        defer { events.unsubscribe() }
        let waiter = Task { () -> EventVerdict? in
            for await batch in events {
                for message in batch {
                    guard case .success(let event) = LatticeEventDecoder.decode(message.data) else { continue }
                    if let verdict = action.verdict(on: event) { return verdict }
                }
            }
            return nil
        }
        defer { waiter.cancel() }

        let hostMessage: String
        do throws(LatticeClientError) {
            hostMessage = try await action.send(client)
        } catch {
            return outcome(action, error, subject: subject)
        }
        if action.isSettledByReply(hostMessage) {
            return MutationOutcome(action: action, result: .settledByReply(message: hostMessage), subject: subject, hostMessage: hostMessage, sent: true)
        }
        let timeout = eventTimeout
        let verdict = await withTaskGroup(of: EventVerdict?.self) { group -> EventVerdict? in
            group.addTask {
                // Ending the subscription ends the waiter (its loop does not watch cancellation).
                await withTaskCancellationHandler { await waiter.value } onCancel: { events.unsubscribe(); waiter.cancel() }
            }
            group.addTask { try? await Task.sleep(for: timeout); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        let result: MutationOutcome.Result
        switch verdict {
        case .confirmed(let event)?: result = .confirmed(event: event)
        case .refuted(let event, let message)?: result = .failed(event: event, message: message)
        case nil: result = .unconfirmed(waited: timeout)
        }
        return MutationOutcome(action: action, result: result, subject: subject, hostMessage: hostMessage, sent: true)
    }

    private func outcome(_ action: OperateAction, _ error: LatticeClientError, subject: String) -> MutationOutcome {
        switch error {
        case .refused(_, let message): return MutationOutcome(action: action, result: .refused(message: message), subject: subject, sent: true)
        case .timeout: return MutationOutcome(action: action, result: .timeout, subject: subject, sent: true)
        case .noResponders: return MutationOutcome(action: action, result: .noResponders, subject: subject, sent: true)
        case .invalidArgument(let text): return MutationOutcome(action: action, result: .invalid(message: text), subject: subject, sent: false)
        default: return MutationOutcome(action: action, result: .error(message: error.description), subject: subject, sent: true)
        }
    }
}
