import Foundation
import LatticeProtocol
import NATSKit

extension LatticeClient {
    /// `link.get`: every link in the lattice.
    public func links() async throws(LatticeClientError) -> [Link] {
        try await call(subjects.linkGet, expecting: [Link].self).response ?? []
    }

    /// `link.get`, not decoded again when the reply's bytes are those of `previous`: then
    /// `previous` itself is returned. A lattice whose links did not change answers every
    /// resync's listing with the same bytes (20,000 links at 10,000 hosts: a 2.5 MB reply whose
    /// decoding took 30–40 MiB of heap for a moment, every minute).
    public func links(unlessRepeating previous: LinkListingReply?) async throws(LatticeClientError) -> LinkListingReply {
        let subject = subjects.linkGet
        let payload = try await reply(to: subject).data
        if let previous, previous.payload == payload { return previous }
        let links = try Self.interpret(payload, subject: subject, decode: HostReplyDecoder.links).response ?? []
        return LinkListingReply(payload: payload, links: links)
    }

    /// `link.put`. A refusal (missing config, conflicting target) is `.refused` with the host's text.
    @discardableResult
    public func putLink(_ link: Link) async throws(LatticeClientError) -> String {
        if link.sourceID.isEmpty || link.target.isEmpty { throw .invalidArgument("a link needs a source and a target") }
        if link.witNamespace.isEmpty || link.witPackage.isEmpty || link.interfaces.isEmpty {
            throw .invalidArgument("a link needs a WIT namespace, package and at least one interface")
        }
        return try await ack(subjects.linkPut, body: encode(link))
    }

    /// `link.del` (by source, namespace, package and name; always acknowledged).
    @discardableResult
    public func deleteLink(_ request: DeleteInterfaceLinkDefinitionRequest) async throws(LatticeClientError) -> String {
        try await ack(subjects.linkDelete, body: encode(request))
    }

    /// `config.get.{name}`: the values, or nil when no such config exists.
    public func config(name: String) async throws(LatticeClientError) -> [String: String]? {
        try validate(name, "config name")
        return try await call(subjects.configGet(name: name), expecting: [String: String].self).response
    }

    /// `config.put.{name}`.
    @discardableResult
    public func putConfig(name: String, values: [String: String]) async throws(LatticeClientError) -> String {
        try validate(name, "config name")
        return try await ack(subjects.configPut(name: name), body: encode(values))
    }

    /// `config.del.{name}`.
    @discardableResult
    public func deleteConfig(name: String) async throws(LatticeClientError) -> String {
        try validate(name, "config name")
        return try await ack(subjects.configDelete(name: name), body: Data())
    }
}

/// A `link.get` reply: its bytes, and the links they decoded to (`LatticeClient.links(unlessRepeating:)`).
public struct LinkListingReply: Sendable {
    public let payload: Data
    public let links: [Link]

    public init(payload: Data, links: [Link]) {
        self.payload = payload
        self.links = links
    }
}
