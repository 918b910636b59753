import Foundation
import LatticeProtocol

extension LatticeClient {
    /// `component.scale.{host}` (the count travels as `count`; 0 stops the component). Returns
    /// the host's message, which may carry a warning.
    @discardableResult
    public func scaleComponent(hostID: String, _ command: ScaleComponentCommand) async throws(LatticeClientError) -> String {
        try validate(hostID, "host ID")
        if command.componentID.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidArgument("component ID must not be empty")
        }
        var c = command
        if c.hostID.isEmpty { c.hostID = hostID }
        return try await ack(subjects.componentScale(hostID: hostID), body: encode(c))
    }

    /// `component.update.{host}`.
    @discardableResult
    public func updateComponent(hostID: String, componentID: String, newReference: String,
                                annotations: [String: String]? = nil) async throws(LatticeClientError) -> String {
        try validate(hostID, "host ID")
        if newReference.isEmpty { throw .invalidArgument("image reference must not be empty") }
        let c = UpdateComponentCommand(componentID: componentID, newComponentRef: newReference, hostID: hostID, annotations: annotations)
        return try await ack(subjects.componentUpdate(hostID: hostID), body: encode(c))
    }

    /// `provider.start.{host}`. The ack only means the host took the request; the result comes
    /// as `provider_started` or `provider_start_failed`.
    @discardableResult
    public func startProvider(hostID: String, _ command: StartProviderCommand) async throws(LatticeClientError) -> String {
        try validate(hostID, "host ID")
        if command.providerID.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidArgument("provider ID must not be empty")
        }
        var c = command
        if c.hostID.isEmpty { c.hostID = hostID }
        return try await ack(subjects.providerStart(hostID: hostID), body: encode(c))
    }

    /// `provider.stop.{host}`.
    @discardableResult
    public func stopProvider(hostID: String, providerID: String) async throws(LatticeClientError) -> String {
        try validate(hostID, "host ID")
        return try await ack(subjects.providerStop(hostID: hostID),
                             body: encode(StopProviderCommand(providerID: providerID, hostID: hostID)))
    }

    /// `component.auction`: the hosts willing to run it.
    public func componentAuction(_ request: ComponentAuctionRequest) async throws(LatticeClientError) -> [ComponentAuctionAck] {
        var out: [ComponentAuctionAck] = []
        for await r in try gather(subjects.componentAuction, body: encode(request), expecting: ComponentAuctionAck.self) {
            if case .success(let ack) = r { out.append(ack) }
        }
        return out
    }

    /// `provider.auction`: the hosts willing to run it.
    public func providerAuction(_ request: ProviderAuctionRequest) async throws(LatticeClientError) -> [ProviderAuctionAck] {
        var out: [ProviderAuctionAck] = []
        for await r in try gather(subjects.providerAuction, body: encode(request), expecting: ProviderAuctionAck.self) {
            if case .success(let ack) = r { out.append(ack) }
        }
        return out
    }
}
