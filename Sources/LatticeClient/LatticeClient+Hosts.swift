import Foundation
import LatticeProtocol

extension LatticeClient {
    /// `host.ping`: each host's answer as it arrives, until the gather window closes.
    public func pingHosts() throws(LatticeClientError) -> AsyncStream<Result<HostInfo, LatticeClientError>> {
        try gather(subjects.hostPing, expecting: HostInfo.self, decode: HostReplyDecoder.ping)
    }

    /// `host.ping`, collected: every host that answered within the window, by ID. Undecodable
    /// answers are returned separately so they can be counted and shown.
    public func hosts() async throws(LatticeClientError) -> (hosts: [HostInfo], errors: [LatticeClientError]) {
        var hosts: [HostInfo] = []
        var errors: [LatticeClientError] = []
        for await r in try pingHosts() {
            switch r {
            case .success(let h): hosts.append(h)
            case .failure(let e): errors.append(e)
            }
        }
        return (hosts.sorted { $0.id < $1.id }, errors)
    }

    /// `host.get.{id}`.
    public func inventory(hostID: String) async throws(LatticeClientError) -> HostInventory {
        try await inventory(hostID: hostID, resends: 0)
    }

    /// `inventory(hostID:)`, asked once more when it timed out, to the same reply subject: the
    /// reply to either ask counts. (A host busy with a big lattice's burst answers late; a new
    /// request would drop that late answer and queue behind the burst again.)
    public func inventoryAskingAgainAfterTimeout(hostID: String) async throws(LatticeClientError) -> HostInventory {
        try await inventory(hostID: hostID, resends: 1)
    }

    private func inventory(hostID: String, resends: Int) async throws(LatticeClientError) -> HostInventory {
        try validate(hostID, "host ID")
        let r = try await call(subjects.hostGet(hostID: hostID), expecting: HostInventory.self, resends: resends,
                               decode: HostReplyDecoder.inventory)
        guard let inventory = r.response else {
            throw .malformedReply(subject: subjects.hostGet(hostID: hostID), detail: "no inventory in the reply")
        }
        return inventory
    }

    /// Every host's inventory, as `wash get inventory` does it: ping, then one `host.get` per
    /// host as its ping reply arrives, all at once (`hostSync()`). Inventories stream out as they
    /// arrive, while the ping's window is still open. A `host.get` that timed out is asked once
    /// more (a host that just answered its ping is there, only busy with the burst).
    public func inventories() throws(LatticeClientError) -> AsyncStream<Result<HostInventory, LatticeClientError>> {
        let batches = try hostSync()
        return AsyncStream { continuation in
            let task = Task {
                for await batch in batches {
                    for event in batch {
                        switch event {
                        case .pinged: break
                        case .inventory(let inventory): continuation.yield(.success(inventory))
                        case .pingFailed(let error), .inventoryFailed(_, let error): continuation.yield(.failure(error))
                        }
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// `host.stop.{id}`; sends `{}` (or the timeout in milliseconds) so 1.0 hosts accept it.
    @discardableResult
    public func stopHost(hostID: String, timeoutMilliseconds: UInt64? = nil) async throws(LatticeClientError) -> String {
        try validate(hostID, "host ID")
        return try await ack(subjects.hostStop(hostID: hostID), body: encode(StopHostCommand(timeout: timeoutMilliseconds)))
    }

    /// `label.put.{id}`. Keys with the reserved `hostcore.` prefix are refused before sending.
    @discardableResult
    public func putLabel(hostID: String, key: String, value: String) async throws(LatticeClientError) -> String {
        try validate(hostID, "host ID")
        if key.isEmpty { throw .invalidArgument("label key must not be empty") }
        if key.lowercased().hasPrefix("hostcore.") {
            throw .invalidArgument("labels starting with 'hostcore.' are reserved by the host")
        }
        return try await ack(subjects.labelPut(hostID: hostID), body: encode(HostLabel(key: key, value: value)))
    }

    /// `label.del.{id}`.
    @discardableResult
    public func deleteLabel(hostID: String, key: String) async throws(LatticeClientError) -> String {
        try validate(hostID, "host ID")
        return try await ack(subjects.labelDelete(hostID: hostID), body: encode(HostLabelIdentifier(key: key)))
    }

    /// `claims.get`.
    public func claims() async throws(LatticeClientError) -> [[String: String]] {
        try await call(subjects.claimsGet, expecting: [[String: String]].self).response ?? []
    }
}
