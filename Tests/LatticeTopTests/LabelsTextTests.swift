import Foundation
import Testing
@testable import LatticeTop

/// `Format.labels` (a Hosts row's labels, a component's annotations and limits) writes what it
/// wrote as a filtered, sorted, interpolated and joined list.
@Suite struct LabelsTextTests {
    /// The text as it was made before: a filtered dictionary, sorted, a string a pair, joined.
    static func asBefore(_ labels: [String: String]) -> String {
        labels.filter { !$0.key.hasPrefix("hostcore.") }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: ",")
    }

    @Test func writesWhatTheListWrote() {
        let fixed: [[String: String]] = [
            [:],
            ["hostcore.os": "linux"],
            ["zone": "eu-west", "tier": "edge", "hostcore.arch": "x86_64", "hostcore.os": "linux"],
            ["wasmcloud.dev/appspec": "app", "wasmcloud.dev/managed-by": "wadm", "k": ""],
            ["é": "ü", "Z": "1", "a": "=,", "hostcore": "kept", "hostcore.": "dropped", "🚀": "\n"],
        ]
        for labels in fixed { #expect(Format.labels(labels) == Self.asBefore(labels), "\(labels)") }
        #expect(Format.labels(fixed[2]) == "tier=edge,zone=eu-west")
        var rng = SystemRandomNumberGenerator()
        // (No decomposed "e\u{301}" beside "é": with it, the two sorts put a few such keys in
        // different orders — 3 maps of 2,000 in one run — by the order they came in, which for
        // a dictionary follows its hash seed, so the old text varied from run to run there too.)
        let pieces = ["a", "b", "zone", "hostcore.", "hostcore.os", "Z", "é", "ü", "0", "", "=", ",", "🚀", "日本"]
        for _ in 0..<2_000 {
            var labels: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...8, using: &rng) {
                let key = (0..<Int.random(in: 1...3, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
                labels[key] = (0..<Int.random(in: 0...2, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            }
            #expect(Format.labels(labels) == Self.asBefore(labels), "\(labels)")
        }
    }
}
