import Foundation
import LatticeProtocol
import LatticeState
import Testing

/// The multi-event sequences a real 1.x host publishes for one action (protocol reference
/// §2.3.4, §10): `component.update` ends with a scale-0 for a component that keeps running, and
/// a fresh start on a 1.6+ host publishes `component_scaled` twice.
@Suite struct ComponentEventSequenceTests {
    static let old = "ghcr.io/test/c:1.0"
    static let new = "ghcr.io/test/c:2.0"

    @Test(arguments: [new, old])
    func updateSequenceKeepsTheComponentRunningWithTheNewReference(tailReference: String) throws {
        // 1.1–1.9 hosts put the new reference in the trailing scale-0, 1.0 the old one.
        let state = LatticeState([
            In.heartbeat(In.h1, at: 0, components: [In.component("c", count: 5, image: Self.old)]),
            In.scaled(In.h1, "c", count: 5, at: 10, image: Self.new),
            In.scaled(In.h1, "c", count: 0, at: 10.05, image: tailReference),
        ])
        let c = try #require(state.hosts[In.h1]?.components["c"])
        #expect(c.status == .running)
        #expect(c.imageRef == Self.new)
        #expect(c.maxInstances == 5)
    }

    @Test func updateOfAComponentOnlyKnownFromEventsIsRecognisedToo() throws {
        let state = LatticeState([
            In.scaled(In.h1, "c", count: 3, at: 1, image: Self.old),
            In.scaled(In.h1, "c", count: 3, at: 20, image: Self.new),
            In.scaled(In.h1, "c", count: 0, at: 20.1, image: Self.new),
        ])
        #expect(state.hosts[In.h1]?.components["c"]?.status == .running)
    }

    @Test func aScaleToZeroThatIsNotAnUpdateStillStops() {
        // Same reference before and after: a quick scale up then down is a real stop.
        let quick = LatticeState([
            In.heartbeat(In.h1, at: 0, components: [In.component("c", count: 1, image: Self.old)]),
            In.scaled(In.h1, "c", count: 4, at: 10, image: Self.old),
            In.scaled(In.h1, "c", count: 0, at: 10.05, image: Self.old),
        ])
        #expect(quick.hosts[In.h1]?.components["c"]?.isVisible == false)
        // A stop long after an update is a stop.
        let later = LatticeState([
            In.heartbeat(In.h1, at: 0, components: [In.component("c", count: 5, image: Self.old)]),
            In.scaled(In.h1, "c", count: 5, at: 10, image: Self.new),
            In.scaled(In.h1, "c", count: 0, at: 40, image: Self.new),
        ])
        #expect(later.hosts[In.h1]?.components["c"]?.isVisible == false)
        // Started fresh after a stop (another reference), then stopped: not an update either.
        let restarted = LatticeState([
            In.scaled(In.h1, "c", count: 1, at: 1, image: Self.old),
            In.scaled(In.h1, "c", count: 0, at: 2, image: Self.old),
            In.scaled(In.h1, "c", count: 1, at: 3, image: Self.new),
            In.scaled(In.h1, "c", count: 0, at: 3.5, image: Self.new),
        ])
        #expect(restarted.hosts[In.h1]?.components["c"]?.isVisible == false)
    }

    @Test func aLaterInventoryDecidesAfterAnUpdate() {
        // The resync after a mutation: an inventory that no longer lists it wins over the rule.
        let state = LatticeState([
            In.heartbeat(In.h1, at: 0, components: [In.component("c", count: 5, image: Self.old)]),
            In.scaled(In.h1, "c", count: 5, at: 10, image: Self.new),
            In.scaled(In.h1, "c", count: 0, at: 10.05, image: Self.new),
            In.heartbeat(In.h1, at: 12, components: []),
        ])
        #expect(state.hosts[In.h1]?.components["c"]?.isVisible == false)
    }

    @Test func freshStartsTwoScaledEventsCountOnceAndLogOneInfoLine() throws {
        let state = LatticeState([
            In.scaled(In.h1, "c", count: 3, at: 1, image: Self.old),
            In.scaled(In.h1, "c", count: 3, at: 1.02, image: Self.old),
        ])
        let c = try #require(state.hosts[In.h1]?.components["c"])
        #expect(c.status == .running && c.maxInstances == 3)
        // Both arrived and are counted as received …
        #expect(state.counters.eventsByType["component_scaled"] == 2)
        #expect(state.eventLog.count == 2)
        // … but the log says it once at info level; the echo is a debug line.
        let lines = state.eventLog.elements
        #expect(lines.filter { $0.severity >= .info }.map(\.summary) == ["component c scaled to 3 (\(Self.old))"])
        #expect(lines.last?.severity == .debug)
        #expect(lines.last?.summary.hasSuffix("(repeated)") == true)
    }

    @Test func aRealRescaleToTheSameCountLaterIsNotARepeat() {
        let state = LatticeState([
            In.scaled(In.h1, "c", count: 3, at: 1, image: Self.old),
            In.scaled(In.h1, "c", count: 3, at: 60, image: Self.old),
        ])
        #expect(state.eventLog.elements.allSatisfy { $0.severity == .info })
    }
}
