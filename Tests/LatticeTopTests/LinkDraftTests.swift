import Foundation
import LatticeProtocol
import LatticeState
import Testing
@testable import LatticeTop

@Suite struct LinkDraftTests {
    static let http = Link(sourceID: "httpserver", target: "hello", witNamespace: "wasi", witPackage: "http",
                           interfaces: ["incoming-handler"], sourceConfig: ["http-port"])
    static let kv = Link(sourceID: "counter", target: "kvredis", name: "cache", witNamespace: "wasi", witPackage: "keyvalue",
                         interfaces: ["store", "atomics"], targetConfig: ["redis-url"])

    /// A lattice with one host running two components and two providers, two links, two configs.
    static func state() -> LatticeState {
        var s = LatticeState()
        let at = Date(timeIntervalSince1970: 1_000)
        let inventory = HostInventory(
            components: [ComponentDescription(id: "hello", imageRef: "ghcr.io/x/hello:1", maxInstances: 1),
                         ComponentDescription(id: "counter", imageRef: "ghcr.io/x/counter:1", maxInstances: 1)],
            providers: [ProviderDescription(id: "httpserver"), ProviderDescription(id: "kvredis")],
            hostID: "NHOST", friendlyName: "h", labels: [:], version: "1.9.2", uptimeHuman: "1s", uptimeSeconds: 1)
        s.apply(contentsOf: [.syncStarted(id: 1, at: at), .inventory(inventory, syncID: 1, at: at),
                             .links([http, kv], syncID: 1, at: at),
                             .configs(["http-port": ["port": "8080"], "redis-url": ["url": "redis://x"]], syncID: 1, at: at),
                             .syncFinished(id: 1, hostsAnswered: ["NHOST"], complete: true, at: at)])
        return s
    }

    static var vocabulary: LinkVocabulary {
        LinkVocabulary(state: state(), spiedInstances: ["wasmcloud:messaging/consumer@0.2.0", "wasi:keyvalue/batch@0.2.0-draft"])
    }

    static func draft(_ fields: [LinkDraft.Field: String]) -> LinkDraft {
        var d = LinkDraft()
        for (field, text) in fields { d[field] = text }
        return d
    }

    @Test func newDraftDefaultsTheLinkName() {
        let d = LinkDraft()
        #expect(d[.name] == "default")
        #expect(d.link.name == "default")
        var blank = d
        blank[.name] = "  "
        #expect(blank.link.name == "default")
    }

    @Test func editDraftIsPrefilledAndRoundTrips() {
        let d = LinkDraft(editing: Self.kv)
        #expect(d[.interfaces] == "store,atomics")
        #expect(d[.targetConfig] == "redis-url")
        #expect(d.link == Self.kv)
        #expect(d.validate(against: Self.vocabulary).contains { $0.isError && $0.message == "nothing changed" })
    }

    @Test func listFieldsSplitOnCommasAndSpacesWithoutRepeats() {
        var d = LinkDraft()
        d[.interfaces] = " store, atomics ,store  batch,,"
        #expect(d.items(.interfaces) == ["store", "atomics", "batch"])
    }

    @Test func aWholeWITReferenceIsSpreadOverTheFields() {
        var d = LinkDraft()
        d[.namespace] = "wasi:http/incoming-handler@0.2.0, outgoing-handler"
        d.spreadWITReference()
        #expect(d[.namespace] == "wasi")
        #expect(d[.package] == "http")
        #expect(d[.interfaces] == "incoming-handler,outgoing-handler")
        var p = LinkDraft()
        p[.package] = "wasi:keyvalue@0.2.0-draft"
        p[.interfaces] = "store"
        p.spreadWITReference()
        #expect((p[.namespace], p[.package], p[.interfaces]) == ("wasi", "keyvalue", "store"))
    }

    @Test func requiredFieldsAndWITNamesAreErrors() {
        let problems = LinkDraft().validate(against: Self.vocabulary)
        let errors = Set(problems.filter(\.isError).map(\.field))
        #expect(errors == [.source, .target, .namespace, .package, .interfaces])
        let d = Self.draft([.source: "hello world", .target: "kvredis", .namespace: "Wasi", .package: "key_value",
                            .interfaces: "store,-bad", .sourceConfig: "a.b"])
        let messages = d.validate(against: Self.vocabulary).filter(\.isError).map(\.message)
        #expect(messages.contains("source must not contain spaces"))
        #expect(messages.contains { $0.hasPrefix("WIT namespace 'Wasi' is not a WIT name") })
        #expect(messages.contains { $0.hasPrefix("WIT package 'key_value' is not a WIT name") })
        #expect(messages.contains { $0.hasPrefix("interface '-bad'") })
        #expect(messages.contains("config name 'a.b' must not contain '.'"))
        #expect(LinkDraft.isWITIdentifier("incoming-handler"))
        #expect(LinkDraft.isWITIdentifier("http2-API"))
        #expect(!LinkDraft.isWITIdentifier("a--b"))
        #expect(!LinkDraft.isWITIdentifier("2fa"))
    }

    @Test func unknownWorkloadsConfigAndTargetClashAreWarnings() {
        let d = Self.draft([.source: "counter", .target: "nowhere", .name: "cache", .namespace: "wasi", .package: "keyvalue",
                            .interfaces: "atomics", .targetConfig: "missing-config,SECRET_redis"])
        let problems = d.validate(against: Self.vocabulary)
        #expect(problems.allSatisfy { !$0.isError })
        let warnings = problems.map(\.message)
        #expect(warnings.contains("nowhere runs on no host (the link waits until it does)"))
        #expect(warnings.contains("config 'missing-config' does not exist: the host will refuse the link until it does"))
        #expect(warnings.contains("secret reference 'SECRET_redis' is not in the config store: the host will refuse the link until it is"))
        #expect(warnings.contains { $0.hasPrefix("counter already links wasi:keyvalue as 'cache' to kvredis") })
        // A valid draft has no problems at all.
        let ok = Self.draft([.source: "hello", .target: "kvredis", .namespace: "wasi", .package: "keyvalue", .interfaces: "store"])
        #expect(ok.validate(against: Self.vocabulary).isEmpty)
    }

    @Test func vocabularyComesFromTheLatticeAndTheSpy() {
        let v = Self.vocabulary
        #expect(v.componentIDs == ["counter", "hello"])
        #expect(v.providerIDs == ["httpserver", "kvredis"])
        #expect(v.configNamesKnown && v.configNames == ["http-port", "redis-url"])
        #expect(v.linkNames == ["cache", "default"])
        #expect(v.interfaces[.init(namespace: "wasi", package: "keyvalue")] == ["store", "atomics", "batch"])
        #expect(v.interfaces[.init(namespace: "wasmcloud", package: "messaging")] == ["consumer"])
    }

    @Test func completionOffersWhatFitsTheFieldAndTheTextSoFar() {
        let v = Self.vocabulary
        var d = LinkDraft()
        #expect(v.candidates(for: .target, in: d) == ["httpserver", "kvredis", "counter", "hello"])
        #expect(v.candidates(for: .source, in: d) == ["counter", "hello", "httpserver", "kvredis"])
        d[.source] = "h"
        #expect(v.candidates(for: .source, in: d) == ["hello", "httpserver"])
        v.complete(.source, in: &d)
        #expect(d[.source] == "h")   // common prefix is what was typed
        d[.source] = "hel"
        v.complete(.source, in: &d)
        #expect(d[.source] == "hello")
        #expect(v.candidates(for: .namespace, in: d) == ["wasi", "wasmcloud"])
        d[.namespace] = "wa"
        v.complete(.namespace, in: &d)
        #expect(d[.namespace] == "was")
        d[.namespace] = "wasi"
        #expect(v.candidates(for: .package, in: d) == ["http", "keyvalue"])
        d[.package] = "keyvalue"
        #expect(v.candidates(for: .interfaces, in: d) == ["atomics", "batch", "store"])
        d[.interfaces] = "store, a"
        v.complete(.interfaces, in: &d)
        #expect(d[.interfaces] == "store,atomics")
        d[.interfaces] = "store,atomics,"
        #expect(v.candidates(for: .interfaces, in: d) == ["batch"])
        d[.targetConfig] = "re"
        v.complete(.targetConfig, in: &d)
        #expect(d[.targetConfig] == "redis-url")
    }

    // MARK: - Changes, diff, undo

    @Test func aChangeIsPlannedSoTheHostNeverSeesTwoTargets() {
        var retarget = Self.kv
        retarget.target = "kvvault"
        #expect(LinkChange(from: Self.kv, to: retarget).steps == [.delete(Self.kv), .put(retarget)])
        var reinterfaced = Self.kv
        reinterfaced.interfaces = ["store"]
        #expect(LinkChange(from: Self.kv, to: reinterfaced).steps == [.put(reinterfaced)])
        var renamed = Self.kv
        renamed.name = "other"
        #expect(LinkChange(from: Self.kv, to: renamed).steps == [.put(renamed), .delete(Self.kv)])
        #expect(LinkChange(from: nil, to: Self.kv).steps == [.put(Self.kv)])
        #expect(LinkChange(from: Self.kv, to: nil).steps == [.delete(Self.kv)])
        #expect(LinkChange(from: Self.kv, to: Self.kv).steps.isEmpty)
    }

    @Test func undoPutsBackThePreviousDefinition() {
        var edited = Self.kv
        edited.targetConfig = []
        let change = LinkChange(from: Self.kv, to: edited)
        #expect(change.undo.steps == [.put(Self.kv)])
        #expect(LinkChange(from: nil, to: Self.http).undo.steps == [.delete(Self.http)])
        #expect(LinkChange(from: Self.http, to: nil).undo.steps == [.put(Self.http)])
        #expect(change.undo.undo == change)
    }

    @Test func diffShowsOldAgainstNewFieldByField() {
        var edited = Self.kv
        edited.interfaces = ["store"]
        edited.targetConfig = ["redis-url", "redis-tls"]
        let text = LinkChange(from: Self.kv, to: edited).diff.map(\.text)
        #expect(text == [
            "  source         counter",
            "  target         kvredis",
            "  link name      cache",
            "  namespace      wasi",
            "  package        keyvalue",
            "- interfaces     store,atomics",
            "+ interfaces     store",
            "  source config  ",
            "- target config  redis-url",
            "+ target config  redis-url,redis-tls",
        ])
        #expect(LinkChange(from: nil, to: Self.http).diff.allSatisfy { $0.kind == .added })
        #expect(LinkChange(from: Self.http, to: nil).diff.allSatisfy { $0.kind == .removed })
    }

    @Test func aDeleteNamesTheOtherLinksItTakesWithIt() {
        let sibling = Link(sourceID: "counter", target: "kvvault", name: "cache", witNamespace: "wasi", witPackage: "keyvalue",
                           interfaces: ["batch"])
        let change = LinkChange(from: Self.kv, to: nil)
        #expect(change.collateral(in: [Self.kv, sibling, Self.http]) == [sibling])
        #expect(LinkChange(from: Self.kv, to: Self.kv).collateral(in: [Self.kv, sibling]).isEmpty)
    }
}
