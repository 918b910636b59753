import Foundation
@testable import LatticeSim
import Testing

/// The simulator's lattice value (the tests have a `SimulatedLattice` of their own).
private typealias World = LatticeSim.SimulatedLattice

/// The simulator's `link.get` reply is encoded once per change of its links (at 10,000 hosts the
/// listing took longer to encode than a client waits) and is always the bytes of a fresh encoding.
@Suite struct SimulatorLinkListingTests {
    /// The reply as a host writes it, encoded here from the simulator's links with
    /// `JSONSerialization` (not through the simulator's encoder).
    fileprivate static func freshReply(_ world: World) throws -> Data {
        let response: [[String: Any]] = world.links.map { link in
            ["source_id": link.sourceID, "target": link.target, "name": link.name, "wit_namespace": link.witNamespace,
             "wit_package": link.witPackage, "interfaces": link.interfaces, "source_config": link.sourceConfig,
             "target_config": link.targetConfig]
        }
        let object: [String: Any] = ["success": true, "message": "", "response": response]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    fileprivate static func listing(_ world: inout World) throws -> Data {
        try #require(world.handleShared(.linkGet, target: nil, body: Data(), answeringHost: "NHOST").reply?.body)
    }

    static func body(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object)
    }

    @Test func theListingIsEncodedOncePerChangeOfTheLinks() throws {
        var world = World(lattice: "default", version: "1.9.2")
        let scale = ScaleWorkload(components: 50, providers: 10, links: 200, configs: 0)
        world.links = (0..<200).compactMap(scale.link)
        world.specs = Set(world.links.map(\.sourceID))
        let first = try Self.listing(&world)
        #expect(first == (try Self.freshReply(world)))
        #expect(world.linkListingEncodings == 1)
        // Asked again with nothing changed: the same bytes, not encoded again.
        #expect(try Self.listing(&world) == first)
        #expect(world.linkListingEncodings == 1)

        // A put through the control interface: listed at once.
        let put = try Self.body(["source_id": "echo", "target": "kv/provider", "wit_namespace": "wasi", "wit_package": "keyvalue",
                                 "interfaces": ["store", "atomics"]])
        #expect(world.handleShared(.linkPut, target: nil, body: put, answeringHost: "NHOST").reply?.success == true)
        let afterPut = try Self.listing(&world)
        #expect(afterPut == (try Self.freshReply(world)))
        #expect(afterPut != first)
        #expect(world.links.count == 201)
        #expect(world.linkListingEncodings == 2)

        // What does not change the links keeps the encoding: a refused put, a config put.
        let refused = try Self.body(["source_id": "echo", "target": "other", "wit_namespace": "wasi", "wit_package": "keyvalue",
                                     "interfaces": ["store"]])
        #expect(world.handleShared(.linkPut, target: nil, body: refused, answeringHost: "NHOST").reply?.success == false)
        #expect(world.handleShared(.configPut, target: "c", body: try Self.body(["k": "v"]), answeringHost: "NHOST").reply?.success == true)
        #expect(try Self.listing(&world) == afterPut)
        #expect(world.linkListingEncodings == 2)

        // A delete through the control interface, then a change made directly (the workload's way).
        let delete = try Self.body(["source_id": scale.componentID(0), "wit_namespace": "wasi", "wit_package": "keyvalue"])
        #expect(world.handleShared(.linkDelete, target: nil, body: delete, answeringHost: "NHOST").reply?.success == true)
        let afterDelete = try Self.listing(&world)
        #expect(afterDelete == (try Self.freshReply(world)))
        #expect(world.links.count == 200)
        #expect(world.linkListingEncodings == 3)
        world.links.removeLast()
        #expect(try Self.listing(&world) == (try Self.freshReply(world)))
        #expect(world.linkListingEncodings == 4)
    }
}
