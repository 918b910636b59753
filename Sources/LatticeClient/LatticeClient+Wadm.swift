import Foundation
import LatticeProtocol
import NATSKit

extension LatticeClient {
    /// wadm's application list (`model.get` with no name; falls back to the deprecated
    /// `model.list` for wadm older than 0.15). `.noResponders` when wadm is not running.
    public func applications() async throws(LatticeClientError) -> [ModelSummary] {
        let subject = wadm.modelList
        let reply = try await self.reply(to: subject)
        let refusal: LatticeClientError
        do {
            let list = try WireJSON.decode(WadmModelListReply.self, from: reply.data)
            guard list.result == .error else { return list.models }
            refusal = .refused(subject: subject, message: list.message)
        } catch {
            refusal = .malformedReply(subject: subject, detail: Self.describe(error))
        }
        // wadm ≤ 0.14 answers `model.get` without a name with an error ("Unsupported subject"):
        // ask the deprecated `model.list`, which it serves. If that fails too, the first answer
        // is the one to report.
        guard let old = try? await connection.request(wadm.modelListDeprecated, timeout: timeout),
              let list = try? WadmModelListReply.decodeEitherShape(old.data), list.result != .error
        else { throw refusal }
        return list.models
    }

    /// `model.status.{name}`.
    public func applicationStatus(name: String) async throws(LatticeClientError) -> WadmStatus? {
        try validate(name, "application name")
        let subject = wadm.modelStatus(name: name)
        let reply = try await self.reply(to: subject)
        do {
            let r = try WireJSON.decode(WadmModelStatusReply.self, from: reply.data)
            if r.result == .error { throw LatticeClientError.refused(subject: subject, message: r.message) }
            return r.status
        } catch let error as LatticeClientError {
            throw error
        } catch {
            throw .malformedReply(subject: subject, detail: Self.describe(error))
        }
    }
}
