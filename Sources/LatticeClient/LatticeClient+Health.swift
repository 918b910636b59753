import Foundation
import LatticeProtocol
import NATSKit

extension LatticeClient {
    /// Asks a provider itself how it is: an empty request on `wasmbus.rpc.{lattice}.{provider_id}.health`
    /// (§3), sent on `rpc` (the connection that carries the lattice's RPC traffic; this client's
    /// connection when nil), waiting `timeout` (this client's timeout when nil). `.timeout` when it
    /// does not answer, `.noResponders` when nothing listens on the subject, `.malformedReply`
    /// when the answer is not a `HealthCheckResponse`.
    public func providerHealth(_ providerID: String, on rpc: NATSConnection? = nil,
                               timeout: Duration? = nil) async throws(LatticeClientError) -> HealthCheckResponse {
        try validate(providerID, "provider ID")
        let subject = RPCSubjects(lattice: lattice).health(providerID: providerID)
        let reply: NATSMessage
        do {
            reply = try await (rpc ?? connection).request(subject, timeout: timeout ?? self.timeout)
        } catch {
            throw LatticeClientError.from(error, subject: subject)
        }
        do {
            return try WireJSON.decode(HealthCheckResponse.self, from: reply.data)
        } catch {
            throw .malformedReply(subject: subject, detail: Self.describe(error))
        }
    }
}
