import Foundation
import LatticeProtocol
@testable import LatticeState
import Testing

/// A resync's ping reply (10,000 of them at 10,000 hosts, decoded afresh each minute) keeps the
/// host record's ID and the inventory's labels and name when they are equal, instead of its own
/// copies (Benchmarks/README.md, "Memory at scale").
@Suite struct PingSharingTests {
    static func storage(_ string: String) -> UnsafeRawPointer? {
        var string = string
        return string.withUTF8 { $0.count > 15 ? UnsafeRawPointer($0.baseAddress) : nil }
    }

    /// The dictionary's storage object (a `Dictionary` is one reference).
    static func storage(_ dictionary: [String: String]) -> UInt {
        withUnsafeBytes(of: dictionary) { $0.load(as: UInt.self) }
    }

    static func fresh(_ s: String) -> String { String(decoding: Array(s.utf8), as: UTF8.self) }

    static let host = "NPINGSHARING" + String(repeating: "Q", count: 44)
    static let labels = ["hostcore.arch": "x86_64", "a-long-label-key-here": "a-long-label-value-here"]

    static func ping(labels: [String: String], name: String, sync: Int) -> LatticeInput {
        let freshLabels = Dictionary(uniqueKeysWithValues: labels.map { (fresh($0.key), fresh($0.value)) })
        return .hostPinged(HostInfo(id: fresh(host), friendlyName: fresh(name), labels: freshLabels, lattice: "default",
                                    uptimeSeconds: 100, version: "1.9.2", ctlHost: nil, rpcHost: nil),
                           syncID: sync, at: TestTime.at(Double(sync)))
    }

    @Test func aPingKeepsTheRecordsIDAndTheInventorysLabels() throws {
        var state = LatticeState([In.heartbeat(Self.host, at: 0, labels: Self.labels)])
        let inventory = try #require(state.hosts[Self.host]?.facts.inventory?.value)
        state.apply(Self.ping(labels: Self.labels, name: inventory.friendlyName, sync: 2))
        var host = try #require(state.hosts[Self.host])
        var ping = try #require(host.facts.ping?.value)
        #expect(ping.labels == Self.labels && ping.id == Self.host)
        #expect(Self.storage(ping.id) == Self.storage(host.id), "the ping keeps its own copy of the host ID")
        #expect(Self.storage(ping.labels) == Self.storage(try #require(host.facts.inventory?.value.labels)),
                "the ping keeps its own copy of the labels")
        #expect(Self.storage(ping.friendlyName) != nil && Self.storage(ping.friendlyName) == Self.storage(inventory.friendlyName),
                "the ping keeps its own copy of the name")

        // What differs from the inventory is kept as the ping has it.
        state.apply(Self.ping(labels: ["zone": "b"], name: "another-name-of-the-host", sync: 3))
        host = try #require(state.hosts[Self.host])
        ping = try #require(host.facts.ping?.value)
        #expect(ping.labels == ["zone": "b"] && ping.friendlyName == "another-name-of-the-host")
    }
}
