import Foundation

/// Provider-control subjects on the RPC connection (`wasmbus.rpc.{lattice}.…`).
public struct RPCSubjects: Sendable, Hashable, Codable {
    public let lattice: String

    public init(lattice: String) {
        self.lattice = lattice
    }

    /// `wasmbus.rpc.{lattice}.{providerID}.health`: request/reply, answered with `HealthCheckResponse`.
    public func health(providerID: String) -> String { "wasmbus.rpc.\(lattice).\(providerID).health" }

    /// `wasmbus.rpc.{lattice}.{providerID}.default.shutdown`
    public func shutdown(providerID: String) -> String { "wasmbus.rpc.\(lattice).\(providerID).default.shutdown" }
}
