import Foundation
import LatticeProtocol

extension LatticeClient {
    /// `link.get`: every link in the lattice.
    public func links() async throws(LatticeClientError) -> [Link] {
        try await call(subjects.linkGet, expecting: [Link].self).response ?? []
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
