import Foundation
import LatticeClient
import LatticeMonitor
import LatticeProtocol
import LatticeSim
import LatticeState
import Testing
@testable import LatticeTop

/// A host refuses a link or a provider that names a `SECRET…` reference missing from the config
/// store (`linkdef_set_failed`, `provider_start_failed`): the forms say so before anything is sent.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SecretReferenceFormTests {
    @Test func theLinkFormWarnsOnlyAboutMissingSecretReferences() {
        var state = LinkDraftTests.state()
        let at = Date(timeIntervalSince1970: 2_000)
        state.apply(contentsOf: [.configs(["http-port": ["port": "8080"], "redis-url": ["url": "redis://x"], "SECRET_redis": [:]],
                                          syncID: 2, at: at)])
        let vocabulary = LinkVocabulary(state: state, spiedInstances: [])
        var draft = LinkDraftTests.draft([.source: "counter", .target: "kvredis", .name: "other", .namespace: "wasi", .package: "keyvalue",
                                          .interfaces: "store", .targetConfig: "SECRET_redis,SECRET_typo"])
        let warnings = draft.validate(against: vocabulary).map(\.message)
        #expect(warnings == ["secret reference 'SECRET_typo' is not in the config store: the host will refuse the link until it is"])
        draft[.targetConfig] = "SECRET_redis"
        #expect(draft.validate(against: vocabulary).isEmpty)
    }

    @Test func theProviderFormRefusesAMissingSecretReference() {
        var state = OperateTests.state()
        state.apply(.configs(["c1": ["a": "b"], "SECRET_known": [:]], syncID: 1, at: Date()))
        guard case .form(var f) = OperatePlanner.begin(.startProvider, target: .none, state: state) else { Issue.record("no form"); return }
        f.form.fields[0].text = "ghcr.io/w/http:1"
        f.form.fields[1].text = "http2"
        f.form.fields[2].selected = 1
        f.form.fields[3].text = "c1, SECRET_known, SECRET_missing"
        guard case .form(let refused) = OperatePlanner.submit(f, state: state) else { Issue.record("sent a missing secret"); return }
        #expect(refused.form.field("config")?.error == "no such secret reference: SECRET_missing (the start would fail)")
        f.form.fields[3].text = "c1, SECRET_known"
        guard case .send = OperatePlanner.submit(f, state: state) else { Issue.record("refused a known secret reference"); return }
    }

    @Test func theSyncListsSecretReferencesFromTheConfigBucket() async throws {
        let f = try await LatticeFixture()
        defer { Task { await f.shutdown() } }
        // Put before anyone watches: only the bucket listing can tell.
        _ = try await f.client.putConfig(name: "SECRET_db", values: ["backend": "nats-kv", "key": "db"])
        let monitor = LatticeMonitor(client: f.client)
        try await monitor.start()
        let inputs = await LatticeMonitorTests.collect(monitor) { all in
            all.contains { if case .syncFinished = $0 { return true } else { return false } }
        }
        await monitor.stop()
        var state = LatticeState()
        state.apply(contentsOf: inputs)
        #expect(state.configs["SECRET_db"]?.exists == true)
        #expect(state.configs["SECRET_db"]?.isSecretReference == true)
        // Its values were never fetched.
        #expect(await f.simulator.reads(of: f.client.subjects.configGet(name: "SECRET_db")) == 0)
    }
}
