import Foundation
import LatticeProtocol
import Testing

/// `HostInventory.wireText` is `WireJSON.encode`'s text exactly, or nil (then the caller encodes
/// with `WireJSON`) — never a different text.
struct HostInventoryWireTextTests {
    static func encoded(_ inventory: HostInventory) throws -> String {
        String(decoding: try WireJSON.encode(inventory), as: UTF8.self)
    }

    static let plain = HostInventory(
        components: [
            ComponentDescription(id: "rust_hello_world-http_component", imageRef: "ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0",
                                 name: "Hello", annotations: ["wasmcloud.dev/managed-by": "wadm", "wasmcloud.dev/appspec": "rust-hello-world"],
                                 revision: 3, maxInstances: 100, limits: ["memory": "64Mi", "CPU": "1", "_x": "y", "a-b": "c", "A.b": "d"]),
            ComponentDescription(id: "c2", imageRef: "file:///tmp/c2.wasm", name: nil, annotations: nil, revision: -1, maxInstances: 0, limits: nil),
        ],
        providers: [
            ProviderDescription(id: "httpserver", imageRef: "ghcr.io/wasmcloud/http-server:0.27.0", name: "HTTP Server", revision: 0,
                                annotations: ["Zeta": "1", "alpha": "2", "0": "3", "~": "4"]),
            ProviderDescription(id: "bare", imageRef: nil, name: nil, revision: 7, annotations: nil),
            ProviderDescription(id: "empty", annotations: [:]),
        ],
        hostID: "NCELGO2576WG3YBH4JW4HQ6VYBMBS7PAJMSWRZECUGEXR7CBDWJZYXEX", friendlyName: "eager-glade-1905 🚀 ünï",
        labels: ["hostcore.os": "linux", "zone": "eu-west", "Tier": "core", "tier": "edge", "t1": "", "t/x": "a/b"],
        version: "1.9.2", uptimeHuman: "1h 2m", uptimeSeconds: UInt64.max)

    @Test func plainInventoriesAreWrittenAsTheEncoderWritesThem() throws {
        #expect(Self.plain.wireText == (try Self.encoded(Self.plain)))
        let empty = HostInventory(components: [], providers: [], hostID: "", friendlyName: "", labels: [:], version: "",
                                  uptimeHuman: "", uptimeSeconds: 0)
        #expect(empty.wireText == (try Self.encoded(empty)))
    }

    /// Random inventories of every shape plain text allows (ASCII punctuation and case in keys,
    /// non-ASCII in values, optionals nil or not).
    @Test func randomPlainInventoriesMatchTheEncoder() throws {
        var rng = SeededLCG(state: 14)
        let alphabet = Array("aZ09_-./:~ +=@!#$%&'()*,;<>?[]^`{|}AbC")
        func text(_ n: Int, unicode: Bool = false) -> String {
            var s = String((0..<Int.random(in: 0...n, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            if unicode, Bool.random(using: &rng) { s += ["é", "日本", "🚀", "\u{7F}", "ß"].randomElement(using: &rng)! }
            return s
        }
        func map() -> [String: String] {
            Dictionary((0..<Int.random(in: 0...6, using: &rng)).map { _ in (text(8), text(12, unicode: true)) }) { a, _ in a }
        }
        for _ in 0..<300 {
            let inventory = HostInventory(
                components: (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    ComponentDescription(id: text(20), imageRef: text(30, unicode: true), name: Bool.random(using: &rng) ? text(10) : nil,
                                         annotations: Bool.random(using: &rng) ? map() : nil, revision: Int32.random(in: .min ... .max, using: &rng),
                                         maxInstances: UInt32.random(in: 0 ... .max, using: &rng), limits: Bool.random(using: &rng) ? map() : nil)
                },
                providers: (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                    ProviderDescription(id: text(20), imageRef: Bool.random(using: &rng) ? text(30) : nil, name: Bool.random(using: &rng) ? text(10, unicode: true) : nil,
                                        revision: Int32.random(in: .min ... .max, using: &rng), annotations: Bool.random(using: &rng) ? map() : nil)
                },
                hostID: text(56), friendlyName: text(20, unicode: true), labels: map(), version: text(6), uptimeHuman: text(8),
                uptimeSeconds: UInt64.random(in: 0 ... .max, using: &rng))
            #expect(inventory.wireText == (try Self.encoded(inventory)))
        }
    }

    /// What would need escaping, or a key whose order is the encoder's to decide, is left to it.
    @Test func textThatNeedsEscapingIsLeftToTheEncoder() {
        for bad in ["say \"hi\"", "back\\slash", "new\nline", "tab\t", "\u{1B}[31m", "\u{0}"] {
            var inventory = Self.plain
            inventory.friendlyName = bad
            #expect(inventory.wireText == nil, "\(bad.debugDescription)")
            inventory = Self.plain
            inventory.labels[bad] = "v"
            #expect(inventory.wireText == nil, "\(bad.debugDescription)")
            inventory = Self.plain
            inventory.components[0].limits?["k"] = bad
            #expect(inventory.wireText == nil, "\(bad.debugDescription)")
        }
        var inventory = Self.plain
        inventory.labels["zöne"] = "v"
        #expect(inventory.wireText == nil)
    }
}

/// A seeded generator (Knuth's MMIX LCG, the high bits folded in), so a failure can be repeated.
struct SeededLCG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
}
