import Foundation
import LatticeProtocol
import LatticeSim
import LatticeState
import TerminalUI
import Testing
@testable import LatticeTop

/// The Config pane's keys end to end against the simulator on a real nats-server: the request
/// the host received, `config_set`/`config_deleted`, the values shown; `E` through a scripted
/// editor; failures keeping what the user wrote.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ConfigOperateTests {
    /// A harness on a lattice that is fully known, on this pane; shut down however the test ends.
    func start(_ body: (OperateHarness) async throws -> Void) async throws {
        try await OperateHarness.run { h in
            #expect(await h.waitUntil { $0.state.sortedConfigs.count == 4 && $0.state.configsNeedingValues.isEmpty })
            await h.press(.character("5"))
            try await body(h)
        }
    }

    func valuesShown(_ h: OperateHarness, _ name: String) -> String? {
        h.view.rows.first { $0.id == name }?.cells[2]
    }

    @Test func aNewConfigFromTheFormIsPutConfirmedAndShown() async throws {
        try await start { h in
            await h.press(.character("a"))
            #expect(h.form?.title == "New config")
            await h.type("billing-db")
            await h.press(.tab)
            await h.type("host")
            await h.press(.tab)
            await h.type("pg.internal")
            await h.press(.tab)
            #expect(h.form?.field("key.1") != nil, "a blank pair appears once the last one is used")
            await h.type("db_password")
            await h.press(.tab)
            await h.type("hunter2")
            await h.press(.enter)
            let confirm = try #require(h.confirm)
            #expect(confirm.title == "Create config?")
            #expect(confirm.lines.contains("+ db_password    ••••••"))
            #expect(confirm.lines.contains("+ host           pg.internal"))
            #expect(!confirm.lines.joined().contains("hunter2") && !confirm.dialog.message.joined().contains("hunter2"))
            await h.press(.character("y"))

            let request = try #require(await h.simulator.received(.configPut).last)
            #expect(request.target == "billing-db")
            #expect(request.decoded([String: String].self) == ["host": "pg.internal", "db_password": "hunter2"])
            #expect(await h.fixture.events.wait { if case .configSet(let e) = $0.payload { return e.configName == "billing-db" } else { return false } } != nil)
            #expect(await h.waitUntil { $0.state.configs["billing-db"]?.values == ["host": "pg.internal", "db_password": "hunter2"] })
            #expect(valuesShown(h, "billing-db") == "db_password=•••••• host=pg.internal")
            #expect(h.app.flash?.message.contains("wash config put billing-db 'db_password=••••••' host=pg.internal") == true)
        }
    }

    @Test func editKeepsSecretValuesUnlessTypedOverAndTheDiffMasksThem() async throws {
        try await start { h in
            #expect(h.select { $0[0] == "rust_http_kv-redis_url" })
            #expect(valuesShown(h, "rust_http_kv-redis_url") == "password=•••••• url=redis://127.0.0.1:6379")
            await h.press(.character("e"))
            let form = try #require(h.form)
            #expect(form.title == "Edit config rust_http_kv-redis_url")
            #expect(form["key.0"] == "password" && form["value.0"] == "", "a secret value is not put on screen")
            #expect(form.field("value.0")?.placeholder == OperatePlanner.keptSecretPlaceholder)
            #expect(form["key.1"] == "url" && form["value.1"] == "redis://127.0.0.1:6379")
            await h.press(.tab, .tab, .tab, .ctrl("u"))
            await h.type("redis://10.0.0.7:6379")
            await h.press(.enter)
            let confirm = try #require(h.confirm)
            #expect(confirm.lines.contains("  password       ••••••"))
            #expect(confirm.lines.contains("- url            redis://127.0.0.1:6379"))
            #expect(confirm.lines.contains("+ url            redis://10.0.0.7:6379"))
            #expect(confirm.lines.contains("    rust_http_kv-counter → rust_http_kv-kvredis wasi:keyvalue/atomics,store (default)"))
            await h.press(.character("y"))
            #expect(await h.simulator.received(.configPut).last?.decoded([String: String].self)
                    == ["password": "demo-redis-password", "url": "redis://10.0.0.7:6379"])
            #expect(await h.waitUntil { $0.state.configs["rust_http_kv-redis_url"]?.values?["url"] == "redis://10.0.0.7:6379" })
            // Clearing a key removes its entry.
            await h.press(.character("e"), .tab, .tab, .ctrl("u"), .tab, .ctrl("u"), .enter)
            #expect(h.confirm?.lines.contains("- url            redis://10.0.0.7:6379") == true)
            await h.press(.character("y"))
            #expect(await h.simulator.received(.configPut).last?.decoded([String: String].self) == ["password": "demo-redis-password"])
        }
    }

    @Test func xRevealsAndDeleteGoesOnlyAfterY() async throws {
        try await start { h in
            #expect(h.select { $0[0] == "rust_http_kv-redis_url" })
            await h.press(.character("x"))
            #expect(valuesShown(h, "rust_http_kv-redis_url") == "password=demo-redis-password url=redis://127.0.0.1:6379")
            await h.press(.character("x"))
            await h.press(.ctrl("d"))
            let confirm = try #require(h.confirm)
            #expect(confirm.title == "Delete config?")
            #expect(confirm.lines.first == "Delete config rust_http_kv-redis_url (2 keys)")
            #expect(confirm.lines.contains("    rust_http_kv-counter → rust_http_kv-kvredis wasi:keyvalue/atomics,store (default)"))
            await h.press(.escape)
            #expect(await h.simulator.received(.configDelete).isEmpty)
            await h.press(.ctrl("d"), .character("y"))
            #expect(await h.simulator.received(.configDelete).last?.target == "rust_http_kv-redis_url")
            #expect(await h.fixture.events.wait { if case .configDeleted(let e) = $0.payload { return e.configName == "rust_http_kv-redis_url" } else { return false } } != nil)
            #expect(await h.waitUntil { $0.state.configs["rust_http_kv-redis_url"]?.exists == false })
            #expect(valuesShown(h, "rust_http_kv-redis_url") == nil)
            // The link that used it now has a finding.
            #expect(h.state.linkReports.first { $0.record.link.sourceID == "rust_http_kv-counter" }?.findings
                    == [.missingTargetConfig(["rust_http_kv-redis_url"])])
        }
    }

    @Test func editInTheEditorAppliesValidYAMLAfterTheConfirm() async throws {
        try await start { h in
            #expect(h.select { $0[0] == "rust_hello_world-default_http" })
            h.editor = { text in .success(text.replacingOccurrences(of: "0.0.0.0:8080", with: "0.0.0.0:9090") + "timeout: 30\n") }
            await h.press(.character("E"))
            #expect(h.edited.count == 1)
            #expect(h.edited.first?.contains("address: 0.0.0.0:8080") == true)
            let confirm = try #require(h.confirm)
            #expect(confirm.lines.contains("+ address        0.0.0.0:9090"))
            #expect(confirm.lines.contains("+ timeout        30"))
            await h.press(.character("y"))
            #expect(await h.simulator.received(.configPut).last?.decoded([String: String].self) == ["address": "0.0.0.0:9090", "timeout": "30"])
            #expect(await h.waitUntil { $0.state.configs["rust_hello_world-default_http"]?.values?["address"] == "0.0.0.0:9090" })
            #expect(h.app.operateContext.keptConfigTexts.isEmpty)
        }
    }

    @Test func invalidYAMLIsHandedBackWithItsLineAndNothingIsLost() async throws {
        try await start { h in
            #expect(h.select { $0[0] == "messaging-subscriptions" })
            // First save: a nested map (invalid); second: left unchanged (the user gives up).
            var attempt = 0
            h.editor = { text in
                attempt += 1
                return .success(attempt == 1 ? text + "extra:\n  nested: x\n" : text)
            }
            await h.press(.character("E"))
            #expect(h.edited.count == 2)
            let second = try #require(h.edited.last)
            #expect(second.contains("# NOT APPLIED — line 7: the value of 'extra' is a nested map; config values are strings"))
            #expect(second.split(separator: "\n")[6] == "extra:")
            #expect(second.hasSuffix("subscriptions: wasmcloud.echo\nextra:\n  nested: x\n"))
            #expect(h.app.mode == .normal)
            #expect(h.app.flash?.isError == true && h.app.flash?.message.contains("E reopens your text") == true)
            #expect(await h.simulator.received(.configPut).isEmpty)

            // E again: the same text comes back; fixed, it goes through.
            h.editor = { text in .success(text.replacingOccurrences(of: "extra:\n  nested: x\n", with: "extra: nested=x\n")) }
            await h.press(.character("E"))
            #expect(h.edited.last == second)
            await h.press(.character("y"))
            #expect(await h.simulator.received(.configPut).last?.decoded([String: String].self) == ["subscriptions": "wasmcloud.echo", "extra": "nested=x"])
            #expect(h.app.operateContext.keptConfigTexts.isEmpty)
        }
    }

    @Test func aRefusedPutKeepsTheFormAndTheEditorText() async throws {
        try await start { h in
            await h.simulator.setRule(.refuse("config store unavailable"), for: .configPut)
            #expect(h.select { $0[0] == "messaging-subscriptions" })
            await h.press(.character("e"), .tab)
            await h.press(.ctrl("u"))
            await h.type("wasmcloud.other")
            await h.press(.enter, .character("y"))
            #expect(h.form?.message?.contains("refused by the host: config store unavailable") == true)
            #expect(h.form?["value.0"] == "wasmcloud.other")
            await h.press(.escape)

            h.editor = { text in .success(text.replacingOccurrences(of: "wasmcloud.echo", with: "wasmcloud.third")) }
            await h.press(.character("E"), .character("y"))
            #expect(h.app.flash?.message.contains("refused by the host: config store unavailable") == true)
            let kept = try #require(h.app.operateContext.keptConfigTexts["messaging-subscriptions"])
            #expect(kept.text.contains("subscriptions: wasmcloud.third"))
            // E reopens the refused text with the host's answer at the top.
            h.editor = { text in .success(text) }
            await h.press(.character("E"))
            #expect(h.edited.last?.contains("# NOT APPLIED — not applied: ✖ put config messaging-subscriptions refused by the host: config store unavailable") == true)
            #expect(h.edited.last?.contains("subscriptions: wasmcloud.third") == true)
            #expect(await h.simulator.received(.configPut).count == 2)
        }
    }
}
