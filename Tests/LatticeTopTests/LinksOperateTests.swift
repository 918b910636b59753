import Foundation
import LatticeProtocol
import LatticeSim
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// The Links pane's keys end to end: the keys a user presses, the request the simulated host
/// received, the event that followed, and the state shown; and the failure paths keeping the
/// draft with the message.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LinksOperateTests {
    static let fresh = Link(sourceID: "echo-messaging", target: "rust_http_kv-kvredis", witNamespace: "wasi", witPackage: "keyvalue",
                            interfaces: ["store"], targetConfig: ["rust_http_kv-redis_url"])

    /// A harness on a lattice that is fully known, on this pane; shut down however the test ends.
    func start(_ body: (OperateHarness) async throws -> Void) async throws {
        try await OperateHarness.run { h in
            #expect(await h.waitUntil { $0.state.linkReports.count == 4 && $0.state.knowsWorkloads && $0.state.configNamesKnown })
            await h.press(.character("4"))
            try await body(h)
        }
    }

    /// Fills an open link form field by field (tab moves on; the text replaces what is there).
    func fill(_ h: OperateHarness, _ values: [LinkDraft.Field: String]) async {
        for field in LinkDraft.Field.allCases {
            if let text = values[field] {
                await h.press(.ctrl("u"))
                await h.type(text)
            }
            await h.press(.tab)
        }
    }

    func rowsShown(_ h: OperateHarness) -> [String] { h.view.rows.map { "\($0.cells[0]) → \($0.cells[1]) \($0.cells[2])" } }

    @Test func addWithCompletionConfirmWithTheDiffAndTheLinkAppears() async throws {
        try await start { h in
            await h.press(.character("a"))
            #expect(h.form?.title == "Add link")
            #expect(h.form?["link.name"] == "default")
            // Completion from what runs: "echo" → echo-messaging; the interfaces of wasi:keyvalue.
            await h.type("echo")
            await h.press(.right, .tab)
            await h.type("rust_http_kv-kv")
            await h.press(.right, .tab, .tab)
            await h.type("wasi")
            await h.press(.tab)
            await h.type("k")
            await h.press(.right, .tab)
            #expect(h.form?.field("link.interfaces")?.suggestions == ["atomics", "store"])
            await h.type("st")
            await h.press(.right, .tab, .tab)
            await h.type("rust_http_kv-red")
            await h.press(.right)
            #expect(h.form?["link.source"] == "echo-messaging")
            #expect(h.form?["link.package"] == "keyvalue")
            #expect(h.form?["link.targetConfig"] == "rust_http_kv-redis_url")
            await h.press(.enter)
            let confirm = try #require(h.confirm)
            #expect(confirm.title == "Add link?")
            #expect(confirm.lines.contains("+ target         rust_http_kv-kvredis"))
            #expect(confirm.lines.contains("+ interfaces     store"))
            #expect(h.sent.isEmpty, "nothing is sent before y")
            await h.press(.character("y"))

            let request = try #require(await h.simulator.received(.linkPut).last)
            #expect(request.decoded(Link.self) == Self.fresh)
            #expect(await h.fixture.events.wait { if case .linkdefSet(let l) = $0.payload { return l == Self.fresh } else { return false } } != nil)
            #expect(await h.waitUntil { $0.state.linkReports.contains { $0.record.link == Self.fresh } })
            #expect(rowsShown(h).contains("echo-messaging → rust_http_kv-kvredis wasi:keyvalue/store"))
            #expect(h.app.mode == .normal)
            #expect(h.app.flash?.message.contains("✔ put link echo-messaging → rust_http_kv-kvredis") == true)
            #expect(h.app.flash?.message.contains("wash link put echo-messaging rust_http_kv-kvredis wasi keyvalue --interface store") == true)
            #expect(h.app.operateContext.linkHistory == [LinkChange(from: nil, to: Self.fresh)])
        }
    }

    @Test func invalidDraftsAreNotSent() async throws {
        try await start { h in
            await h.press(.character("a"))
            await fill(h, [.source: "echo messaging", .namespace: "Wasi"])
            await h.press(.enter)
            let form = try #require(h.form)
            #expect(form.field("link.source")?.error == "source must not contain spaces")
            #expect(form.field("link.target")?.error == "target is required")
            #expect(form.field("link.namespace")?.error?.hasPrefix("WIT namespace 'Wasi' is not a WIT name") == true)
            #expect(form.field("link.interfaces")?.error == "at least one interface is required")
            #expect(h.sent.isEmpty)
            #expect(await h.simulator.received(.linkPut).isEmpty)
        }
    }

    @Test func aRefusedPutKeepsTheDraftWithTheHostsMessageAndARetryGoesThrough() async throws {
        try await start { h in
            await h.press(.character("a"))
            await fill(h, [.source: "echo-messaging", .target: "rust_http_kv-kvredis", .namespace: "wasi", .package: "keyvalue",
                           .interfaces: "store", .targetConfig: "redis-typo"])
            await h.press(.enter)
            #expect(h.confirm?.lines.contains("⚠ config 'redis-typo' does not exist: the host will refuse the link until it does") == true)
            await h.press(.character("y"))

            let form = try #require(h.form, "the draft stays open")
            #expect(form.message?.contains("refused by the host: Failed to validate configuration and secrets. Configuration redis-typo not found") == true)
            #expect(form.messageIsError)
            #expect(form["link.source"] == "echo-messaging" && form["link.targetConfig"] == "redis-typo")
            #expect(await h.simulator.received(.linkPut).count == 1)
            #expect(await h.fixture.events.wait { if case .linkdefSetFailed(let e) = $0.payload { return e.link.targetConfig == ["redis-typo"] } else { return false } } != nil)
            #expect(await h.simulator.links.contains { $0.sourceID == "echo-messaging" } == false)

            // The refused put is a row of its own; e on it opens it as a new draft with the host's answer.
            await h.press(.escape)
            #expect(await h.waitUntil { d in d.state.linkReports.contains { $0.record.refusal != nil } })
            #expect(h.select { $0[0] == "echo-messaging" })
            await h.press(.ctrl("d"))
            #expect(h.app.flash?.message == "this link does not exist (its put was refused); e to fix and send it again")
            await h.press(.character("e"))
            #expect(h.form?.title == "Add link")
            #expect(h.form?.message?.hasPrefix("this link was refused: Failed to validate configuration and secrets.") == true)
            #expect(h.form?["link.targetConfig"] == "redis-typo")

            // Fix the config name and send again.
            for _ in 0..<7 { await h.press(.tab) }
            await h.press(.ctrl("u"))
            await h.type("rust_http_kv-redis_url")
            await h.press(.enter, .character("y"))
            #expect(h.app.mode == .normal)
            #expect(await h.simulator.links.contains(Self.fresh))
            #expect(await h.waitUntil { d in d.state.linkReports.contains { $0.record.link == Self.fresh && $0.findings.isEmpty } })
        }
    }

    @Test func editIsPrefilledAChangedTargetIsDeletedThenPutAndUndoPutsItBack() async throws {
        try await start { h in
            let original = try #require(await h.simulator.links.first { $0.sourceID == "nats-messaging" })
            #expect(h.select { $0[0] == "nats-messaging" })
            await h.press(.character("e"))
            #expect(h.form?.title == "Edit link")
            #expect(h.form?["link.target"] == "echo-messaging" && h.form?["link.sourceConfig"] == "messaging-subscriptions")
            await h.press(.tab, .ctrl("u"))
            await h.type("rust_hello_world-http_component")
            await h.press(.enter)
            let confirm = try #require(h.confirm)
            #expect(confirm.title == "Change link?")
            #expect(confirm.lines.contains("- target         echo-messaging"))
            #expect(confirm.lines.contains("+ target         rust_hello_world-http_component"))
            #expect(confirm.lines.contains("  source         nats-messaging"))
            await h.clearRequests()
            await h.press(.character("y"))

            var changed = original
            changed.target = "rust_hello_world-http_component"
            #expect(await h.simulator.receivedRequests.map(\.operation) == [.linkDelete, .linkPut])
            #expect(await h.simulator.received(.linkPut).last?.decoded(Link.self) == changed)
            #expect(await h.waitUntil { d in
                d.state.linkReports.map(\.record.link).contains(changed) && !d.state.linkReports.map(\.record.link).contains(original)
            })

            // u: a confirm showing the old definition coming back, then it is back.
            await h.clearRequests()
            await h.press(.character("u"))
            #expect(h.confirm?.title == "Undo the last link change?")
            #expect(h.confirm?.lines.contains("+ target         echo-messaging") == true)
            await h.press(.character("y"))
            #expect(await h.simulator.received(.linkPut).last?.decoded(Link.self) == original)
            #expect(await h.waitUntil { d in
                d.state.linkReports.map(\.record.link).contains(original) && !d.state.linkReports.map(\.record.link).contains(changed)
            })
            #expect(h.app.operateContext.linkHistory.isEmpty)
            await h.press(.character("u"))
            #expect(h.app.flash?.message == "no link change to undo")
        }
    }

    @Test func deleteOnlyAfterYAndUndoBringsTheLinkBack() async throws {
        try await start { h in
            let link = try #require(await h.simulator.links.first { $0.sourceID == "rust_http_kv-counter" })
            #expect(h.select { $0[0] == "rust_http_kv-counter" })
            await h.press(.ctrl("d"))
            let confirm = try #require(h.confirm)
            #expect(confirm.title == "Delete link?")
            #expect(confirm.lines.contains("delete link rust_http_kv-counter → rust_http_kv-kvredis wasi:keyvalue/atomics,store (default)"))
            await h.press(.character("n"))
            #expect(h.app.mode == .normal && h.app.flash?.message == "cancelled: nothing was sent")
            #expect(await h.simulator.received(.linkDelete).isEmpty)

            await h.press(.ctrl("d"), .character("y"))
            let request = try #require(await h.simulator.received(.linkDelete).last?.decoded(DeleteInterfaceLinkDefinitionRequest.self))
            #expect(request == DeleteInterfaceLinkDefinitionRequest(deleting: link))
            #expect(await h.fixture.events.wait { if case .linkdefDeleted(let d) = $0.payload { return d.sourceID == "rust_http_kv-counter" } else { return false } } != nil)
            #expect(await h.waitUntil { !$0.state.linkReports.contains { $0.record.link.sourceID == "rust_http_kv-counter" } })
            #expect(!rowsShown(h).contains { $0.hasPrefix("rust_http_kv-counter") })

            await h.press(.character("u"))
            #expect(h.confirm?.lines.first == "Undo: add link rust_http_kv-counter → rust_http_kv-kvredis wasi:keyvalue/atomics,store (default)")
            await h.press(.character("y"))
            #expect(await h.simulator.links.contains(link))
            #expect(await h.waitUntil { $0.state.linkReports.contains { $0.record.link == link } })
        }
    }

    @Test func aTargetChangeTheHostRefusesPutsTheOldLinkBack() async throws {
        try await start { h in
            let original = try #require(await h.simulator.links.first { $0.sourceID == "nats-messaging" })
            #expect(h.select { $0[0] == "nats-messaging" })
            await h.press(.character("e"), .tab, .ctrl("u"))
            await h.type("rust_hello_world-http_component")
            for _ in 0..<6 { await h.press(.tab) }
            await h.type("no-such-config")
            await h.press(.enter, .character("y"))
            // Deleted, put refused, old one put back: the draft stays open with the host's message.
            #expect(await h.simulator.receivedRequests.map(\.operation) == [.linkDelete, .linkPut, .linkPut])
            #expect(await h.simulator.links.contains(original))
            #expect(h.form?.message?.contains("Configuration no-such-config not found") == true)
            #expect(h.app.flash?.message.contains("✔ put link nats-messaging → echo-messaging") == true, "the put-back's result shows last")
            #expect(h.app.operateContext.linkHistory.isEmpty)
        }
    }

    @Test func timeoutAndNoRespondersKeepTheDraftAndSayWhich() async throws {
        try await OperateHarness.run(clientTimeout: .milliseconds(500)) { h in
            #expect(await h.waitUntil { $0.state.linkReports.count == 4 && $0.state.knowsWorkloads })
            await h.press(.character("4"), .character("a"))
            await fill(h, [.source: "echo-messaging", .target: "rust_http_kv-kvredis", .namespace: "wasi", .package: "keyvalue", .interfaces: "store"])
            await h.simulator.setRule(.ignore, for: .linkPut)
            await h.press(.enter, .character("y"))
            #expect(h.form?.message?.contains("no reply on wasmbus.ctl.v1.default.link.put (timed out)") == true)
            #expect(h.form?["link.interfaces"] == "store")

            await h.simulator.stop()
            await h.press(.enter, .character("y"))
            #expect(h.form?.message?.contains("no responders on wasmbus.ctl.v1.default.link.put") == true)
            #expect(h.form?["link.source"] == "echo-messaging")
        }
    }

    @Test func readOnlySendsNothingWhateverKeysArePressed() async throws {
        try await OperateHarness.run(readOnly: true) { h in
            #expect(await h.waitUntil { $0.state.linkReports.count == 4 })
            for pane in ["4", "5"] {
                await h.press(.character(Character(pane)))
                for key: Key in [.character("a"), .character("e"), .ctrl("d"), .character("u"), .character("E"), .character("y"), .enter, .escape] {
                    await h.press(key)
                    await h.press(.character("y"))
                    await h.press(.escape)
                }
            }
            #expect(h.sent.isEmpty)
            #expect(!h.effects.contains { if case .editConfigInEditor = $0 { return true } else { return false } })
            #expect(await h.simulator.receivedRequests.isEmpty)
            for pane in [PaneID.links, .config] {
                let keys = KeyTable.bindings(for: ScreenKind(pane: pane, drill: nil), readOnly: true).map(\.keyLabel)
                #expect(!keys.contains("a") && !keys.contains("e") && !keys.contains("ctrl-d") && !keys.contains("u") && !keys.contains("E"))
            }
        }
    }
}

extension OperateHarness {
    func clearRequests() async { await simulator.clearReceivedRequests() }
}
