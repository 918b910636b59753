import Foundation
import LatticeProtocol
import LatticeState
import Testing
import TerminalUI
@testable import LatticeTop

/// Pure parts of operating the lattice: masking, audit lines, wash command lines, event
/// verdicts, the confirm dialog's keys and the planner's validation.
@Suite struct OperateTests {
    static let host = "NBHOSTAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

    // MARK: Masking

    @Test func secretLookingKeysAndValuesAreMasked() {
        #expect(SecretMask.mask(key: "DB_PASSWORD", value: "hunter2") == SecretMask.masked)
        #expect(SecretMask.mask(key: "api_token", value: "t") == SecretMask.masked)
        #expect(SecretMask.mask(key: "nats_creds", value: "x") == SecretMask.masked)
        #expect(SecretMask.mask(key: "host", value: "db.local") == "db.local")
        let seed = "SUAM" + String(repeating: "A", count: 54)
        #expect(SecretMask.mask(key: "whatever", value: seed) == SecretMask.masked)
        #expect(SecretMask.mask(key: "pem", value: "-----BEGIN PRIVATE KEY-----\nabc") == SecretMask.masked)
    }

    @Test func jsonBodiesAreMaskedAtAnyDepthAndNonJSONIsNeverShown() {
        let body = Data(#"{"url":"redis://x","password":"p","nested":{"secret_key":"s","list":["a"]}}"#.utf8)
        #expect(SecretMask.maskJSON(body) == #"{"nested":{"list":["a"],"secret_key":"••••••"},"password":"••••••","url":"redis://x"}"#)
        #expect(SecretMask.maskJSON(Data("token=abc".utf8)) == "(9 bytes, not JSON)")
        #expect(SecretMask.maskJSON(Data()) == "(empty)")
    }

    @Test func aLabelsOwnKeyDecidesItsMaskNotTheJSONFieldName() {
        #expect(OperateAction.putLabel(hostID: Self.host, key: "zone", value: "east").maskedBody() == #"{"key":"zone","value":"east"}"#)
        #expect(OperateAction.putLabel(hostID: Self.host, key: "api_token", value: "t").maskedBody() == #"{"key":"api_token","value":"••••••"}"#)
        #expect(OperateAction.putConfig(name: "db", values: ["password": "p", "host": "h"]).maskedBody()
                == #"{"host":"h","password":"••••••"}"#)
    }

    // MARK: Audit lines

    @Test func anAuditLineHasTheFieldsInOrderOnOneLine() {
        let entry = AuditEntry(time: Date(timeIntervalSince1970: 1_700_000_000.25), context: nil, lattice: "default",
                               subject: "wasmbus.ctl.v1.default.config.put.db", body: #"{"password":"••••••"}"#,
                               outcome: "refused: bad\tvalue\nsecond line")
        #expect(entry.line == "2023-11-14T22:13:20.250Z\t-\tdefault\twasmbus.ctl.v1.default.config.put.db\trefused: bad\\tvalue\\nsecond line\t{\"password\":\"••••••\"}")
        #expect(!entry.line.contains("\n"))
    }

    @Test func theAuditLogAppendsUnderXDGStateHome() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = AuditLog.defaultPath(environment: ["XDG_STATE_HOME": dir, "HOME": "/nonexistent"])
        #expect(path == dir + "/latticetop/audit.log")
        #expect(AuditLog.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.local/state/latticetop/audit.log")
        let log = AuditLog(path: path)
        let e = AuditEntry(time: Date(), context: "prod", lattice: "l", subject: "s", body: "{}", outcome: "confirmed")
        try log.append(e)
        try log.append(e)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
        #expect(text.hasSuffix("\tprod\tl\ts\tconfirmed\t{}\n"))
    }

    @Test func anUnwritableAuditLogIsAnErrorNotACrash() {
        let log = AuditLog(path: "/proc/latticetop-cannot/audit.log")
        #expect(throws: (any Error).self) { try log.append(AuditEntry(time: Date(), context: nil, lattice: "l", subject: "s", body: "", outcome: "x")) }
    }

    // MARK: wash command lines

    @Test func washCommandLinesForEveryAction() {
        let h = Self.host
        #expect(OperateAction.startProvider(StartProviderCommand(providerID: "http", providerRef: "ghcr.io/w/http:0.27.0", hostID: h, config: ["c1"])).washCommand
                == "wash start provider ghcr.io/w/http:0.27.0 http --host-id \(h) --config c1")
        #expect(OperateAction.startProvider(StartProviderCommand(providerID: "http", providerRef: "ghcr.io/w/http:1")).washCommand
                == "wash start provider ghcr.io/w/http:1 http")
        #expect(OperateAction.stopProvider(hostID: h, providerID: "http").washCommand == "wash stop provider --host-id \(h) http")
        #expect(OperateAction.scaleComponent(ScaleComponentCommand(componentID: "echo", componentRef: "ghcr.io/w/echo:1", count: 0, hostID: h)).washCommand
                == "wash scale component \(h) echo ghcr.io/w/echo:1 --max-instances 0")
        #expect(OperateAction.updateComponent(hostID: h, componentID: "echo", imageRef: "ghcr.io/w/echo:2").washCommand
                == "wash update component --host-id \(h) echo ghcr.io/w/echo:2")
        #expect(OperateAction.putLabel(hostID: h, key: "zone", value: "us east").washCommand == "wash label \(h) 'zone=us east'")
        #expect(OperateAction.deleteLabel(hostID: h, key: "zone").washCommand == "wash label --delete \(h) zone")
        #expect(OperateAction.stopHost(hostID: h).washCommand == "wash stop host \(h)")
        let link = Link(sourceID: "echo", target: "kv", name: "cache", witNamespace: "wasi", witPackage: "keyvalue",
                        interfaces: ["store", "atomics"], sourceConfig: [], targetConfig: ["redis-url"])
        #expect(OperateAction.putLink(link).washCommand
                == "wash link put echo kv wasi keyvalue --interface store --interface atomics --target-config redis-url --link-name cache")
        #expect(OperateAction.deleteLink(DeleteInterfaceLinkDefinitionRequest(deleting: link)).washCommand
                == "wash link del echo wasi keyvalue --link-name cache")
        #expect(OperateAction.putConfig(name: "db", values: ["url": "redis://x", "password": "p"]).washCommand
                == "wash config put db 'password=••••••' url=redis://x")
        #expect(OperateAction.deleteConfig(name: "it's").washCommand == #"wash config del 'it'\''s'"#)
    }

    // MARK: Event verdicts

    @Test func eventsConfirmOrRefuteOnlyTheirOwnAction() {
        let h = Self.host
        let start = OperateAction.startProvider(StartProviderCommand(providerID: "http", providerRef: "r", hostID: h))
        let started = LatticeEvent.make(.providerStarted(ProviderStartedEvent(hostID: h, imageRef: "r", providerID: "http", annotations: [:])), source: h)
        let other = LatticeEvent.make(.providerStarted(ProviderStartedEvent(hostID: h, imageRef: "r", providerID: "kv", annotations: [:])), source: h)
        let failed = LatticeEvent.make(.providerStartFailed(ProviderStartFailedEvent(providerRef: "r", providerID: "http", hostID: h, error: "pull failed")), source: h)
        #expect(start.verdict(on: started) == .confirmed(event: .providerStarted))
        #expect(start.verdict(on: other) == nil)
        #expect(start.verdict(on: failed) == .refuted(event: .providerStartFailed, message: "pull failed"))
        let label = OperateAction.putLabel(hostID: h, key: "zone", value: "east")
        #expect(label.verdict(on: LatticeEvent.make(.labelsChanged(LabelsChangedEvent(hostID: h, labels: ["zone": "west"])), source: h)) == nil)
        #expect(label.verdict(on: LatticeEvent.make(.labelsChanged(LabelsChangedEvent(hostID: h, labels: ["zone": "east"])), source: h))
                == .confirmed(event: .labelsChanged))
        #expect(OperateAction.stopHost(hostID: h).verdict(on: LatticeEvent.make(.hostStopped(HostStoppedEvent(labels: [:])), source: h))
                == .confirmed(event: .hostStopped))
        #expect(OperateAction.stopHost(hostID: h).verdict(on: LatticeEvent.make(.hostStopped(HostStoppedEvent(labels: [:])), source: "NOTHER")) == nil)
    }

    @Test func outcomesSayWhatHappenedWithTheWashCommand() {
        let a = OperateAction.stopProvider(hostID: Self.host, providerID: "http")
        let refused = MutationOutcome(action: a, result: .refused(message: "provider with that ID is not running"), subject: "s", sent: true)
        #expect(refused.resultLine == "✖ stop provider http refused by the host: provider with that ID is not running  │  wash stop provider --host-id \(Self.host) http")
        #expect(!refused.isSuccess)
        #expect(MutationOutcome(action: a, result: .timeout, subject: "subj", sent: true).message == "✖ stop provider http: no reply on subj (timed out)")
        #expect(MutationOutcome(action: a, result: .noResponders, subject: "subj", sent: true).status == "no-responders")
        #expect(MutationOutcome(action: a, result: .confirmed(event: .providerStopped), subject: "s", sent: true).isSuccess)
    }

    @Test func aResultLineTooWideForOneRowShowsTheWholeWashCommandOnTheNextRow() {
        var app = AppState()
        let outcome = MutationOutcome(action: .stopProvider(hostID: Self.host, providerID: "http"), result: .confirmed(event: .providerStopped),
                                      subject: "s", sent: true)
        let now = Date()
        app.receive([outcome], id: 1, now: now)
        let header = HeaderInfo(lattice: "default", server: "nats://x", connection: "connected", connected: true, hosts: 1, components: 0,
                                providers: 0, links: 0, unhealthy: 0, messagesPerSecond: 0)
        let view = PaneView(title: "Hosts", columns: [TableColumn("NAME")], rows: [])
        let narrow = Screen.render(app: app, header: header, view: view, size: Size(width: 110, height: 20), theme: .default, now: now).lines()
        #expect(narrow[18].contains("✔ stop provider http: provider_stopped"))
        #expect(narrow[19] == " wash stop provider --host-id \(Self.host) http")
        let wide = Screen.render(app: app, header: header, view: view, size: Size(width: 200, height: 20), theme: .default, now: now).lines()
        #expect(wide[18].contains("provider_stopped  │  wash stop provider --host-id \(Self.host) http"))
        #expect(wide[19].contains("<q> quit"))
    }

    // MARK: A submitted form ends in a result line or comes back with its draft

    /// A link form with a draft, submitted: returns the app waiting for mutation `id`.
    static func submitted(_ source: String, app: inout AppState, now: Date) -> Int {
        let form = OperateFormState(purpose: .link(original: nil),
                                    form: FormState(title: "Add link", fields: [FormField(id: "source", label: "source", text: source)]))
        let link = Link(sourceID: source, target: "kv", name: "default", witNamespace: "wasi", witPackage: "keyvalue", interfaces: ["store"])
        let effects = app.apply(.send([.putLink(link)]), now: now, from: form)
        guard case .mutate(let id, _)? = effects.first else { Issue.record("no mutation sent: \(effects)"); return -1 }
        return id
    }

    static func outcome(_ source: String, _ result: MutationOutcome.Result) -> MutationOutcome {
        let link = Link(sourceID: source, target: "kv", name: "default", witNamespace: "wasi", witPackage: "keyvalue", interfaces: ["store"])
        return MutationOutcome(action: .putLink(link), result: result, subject: "wasmbus.ctl.v1.default.link.put", sent: true)
    }

    @Test func aFailureBringsBackTheDraftOfAFormClosedWhileItWaited() {
        var app = AppState()
        let now = Date()
        let id = Self.submitted("echo", app: &app, now: now)
        guard case .form(let busy) = app.mode else { Issue.record("no busy form: \(app.mode)"); return }
        #expect(busy.form.busy != nil)
        _ = app.handleForm(.escape, busy, lattice: LatticeState(), now: now)
        #expect(app.mode == .normal)
        app.receive([Self.outcome("echo", .noResponders)], id: id, now: now)
        guard case .form(let back) = app.mode else { Issue.record("the draft did not come back: \(app.mode)"); return }
        #expect(back.form["source"] == "echo")
        #expect(back.form.busy == nil)
        #expect(back.form.message?.contains("no responders on wasmbus.ctl.v1.default.link.put") == true)
        #expect(app.flash?.message.contains("✖ put link echo") == true)
    }

    @Test func anotherMutationsOutcomeNeitherClosesNorFillsTheFormWaitingForItsOwn() {
        var app = AppState()
        let now = Date()
        let first = Self.submitted("echo", app: &app, now: now)
        guard case .form(let busy) = app.mode else { Issue.record("no busy form: \(app.mode)"); return }
        _ = app.handleForm(.escape, busy, lattice: LatticeState(), now: now)
        let second = Self.submitted("hello", app: &app, now: now)
        #expect(first != second)
        // The first succeeds: the second form keeps waiting.
        app.receive([Self.outcome("echo", .confirmed(event: .linkdefSet))], id: first, now: now)
        guard case .form(let waiting) = app.mode else { Issue.record("the waiting form was closed: \(app.mode)"); return }
        #expect(waiting.form["source"] == "hello" && waiting.form.busy != nil)
        #expect(app.flash?.message.contains("✔ put link echo") == true)
        // Its own failure comes back into it.
        app.receive([Self.outcome("hello", .timeout)], id: second, now: now)
        guard case .form(let back) = app.mode else { Issue.record("the draft did not come back: \(app.mode)"); return }
        #expect(back.form["source"] == "hello" && back.form.busy == nil)
        #expect(back.form.message?.contains("timed out") == true)
    }

    // MARK: Confirm dialog

    @Test func onlyYConfirms() {
        let c = ConfirmState(title: "Stop provider?", lines: ["Stop provider http", "on host h"],
                             actions: [.stopProvider(hostID: Self.host, providerID: "http")])
        #expect(c.answer(.character("y")) == .confirm)
        for key: Key in [.character("Y"), .enter, .character("n"), .escape, .space, .character("a"), .ctrl("d"), .character("q")] {
            #expect(c.answer(key) == .cancel, "\(key)")
        }
        var managed = c
        managed.wadm = WadmGuard.Finding(application: "shop", warning: "managed")
        #expect(managed.answer(.character("a")) == .openApp("shop"))
        var canvas = Canvas(width: 110, height: 20)
        managed.dialog.render(in: Rect(x: 0, y: 0, width: 110, height: 20), on: &canvas, theme: .default)
        let text = canvas.lines().joined(separator: "\n")
        #expect(text.contains("Stop provider http"))
        #expect(text.contains("on host h"))
        #expect(text.contains("⚠ managed:"))
        #expect(text.contains("y: yes, do it"))
        #expect(text.contains("a: open app shop"))
        #expect(text.contains("wash stop provider"))
    }

    // MARK: Planner

    static func state() -> LatticeState {
        var s = LatticeState()
        let h = host
        let now = Date()
        let app = ["wasmcloud.dev/managed-by": "wadm", "wasmcloud.dev/appspec": "shop"]
        s.apply(contentsOf: [
            .event(.make(.hostStarted(HostStartedEvent(friendlyName: "quiet-fox", labels: ["hostcore.os": "linux", "zone": "east"], uptimeSeconds: 1, version: "1.9.2")), source: h), at: now),
            .event(.make(.providerStarted(ProviderStartedEvent(hostID: h, imageRef: "ghcr.io/w/http:1", providerID: "http", annotations: app)), source: h), at: now),
            .event(.make(.componentScaled(ComponentScaledEvent(annotations: [:], hostID: h, imageRef: "ghcr.io/w/echo:1", maxInstances: 5, componentID: "echo")), source: h), at: now),
        ])
        return s
    }

    @Test func startProviderFormValidatesBeforeSending() {
        let state = Self.state()
        guard case .form(var f) = OperatePlanner.begin(.startProvider, target: .none, state: state) else { Issue.record("no form"); return }
        #expect(f.form.field("host")?.kind == .choice([OperatePlanner.auctionChoice, "quiet-fox NBHOSTAAAAAA…"]))
        guard case .form(let bad) = OperatePlanner.submit(f, state: state) else { Issue.record("sent an empty form"); return }
        #expect(bad.form.field("ref")?.error == "an image reference is required")
        #expect(bad.form.field("id")?.error == "a provider ID is required")
        f.form.fields[0].text = "ghcr.io/w/http:1"
        f.form.fields[1].text = "http"
        f.form.fields[2].selected = 1
        guard case .form(let dup) = OperatePlanner.submit(f, state: state) else { Issue.record("sent a duplicate"); return }
        #expect(dup.form.field("id")?.error == "http already runs on that host")
        f.form.fields[1].text = "http2"
        f.form.fields[3].text = "c1, c2"
        #expect(OperatePlanner.submit(f, state: state)
                == .send([.startProvider(StartProviderCommand(providerID: "http2", providerRef: "ghcr.io/w/http:1", hostID: Self.host, config: ["c1", "c2"]))]))
    }

    @Test func stopProviderOfAWadmAppWarnsAndNamesProviderAndHost() {
        guard case .confirm(let c) = OperatePlanner.begin(.stopProvider, target: .provider(hostID: Self.host, providerID: "http"), state: Self.state())
        else { Issue.record("no confirm"); return }
        #expect(c.lines == ["Stop provider http", "on host quiet-fox (\(Self.host))"])
        #expect(c.wadm?.application == "shop")
        #expect(c.wadm?.warning == "provider http is managed by wadm app 'shop'")
        var canvas = Canvas(width: 120, height: 24)
        c.dialog.render(in: Rect(x: 0, y: 0, width: 120, height: 24), on: &canvas, theme: .default)
        #expect(canvas.lines().contains { $0.contains("wadm will revert this change") })
    }

    @Test func scaleToZeroAsksFirstAndOtherCountsSendAtOnce() {
        let state = Self.state()
        guard case .form(var f) = OperatePlanner.begin(.scaleComponent, target: .component(hostID: Self.host, componentID: "echo"), state: state)
        else { Issue.record("no form"); return }
        #expect(f.form["count"] == "5")
        f.form.fields[0].text = "3"
        #expect(OperatePlanner.submit(f, state: state)
                == .send([.scaleComponent(ScaleComponentCommand(componentID: "echo", componentRef: "ghcr.io/w/echo:1", count: 3, hostID: Self.host))]))
        f.form.fields[0].text = "0"
        guard case .confirm(let c) = OperatePlanner.submit(f, state: state) else { Issue.record("0 sent without a confirm"); return }
        #expect(c.title == "Stop component?")
        #expect(c.form == f)
        f.form.fields[0].text = "-1"
        guard case .form(let bad) = OperatePlanner.submit(f, state: state) else { Issue.record("sent -1"); return }
        #expect(bad.form.field("count")?.error != nil)
    }

    @Test func labelsRefuseTheReservedPrefixAndSendTheDifference() {
        let state = Self.state()
        guard case .form(var f) = OperatePlanner.begin(.editLabels, target: .host(Self.host), state: state) else { Issue.record("no form"); return }
        #expect(f.form["labels"] == "zone=east")
        f.form.fields[0].text = "zone=east, hostcore.os=mac"
        guard case .form(let bad) = OperatePlanner.submit(f, state: state) else { Issue.record("sent a reserved label"); return }
        #expect(bad.form.field("labels")?.error == "'hostcore.os': the hostcore.* prefix is reserved by the host")
        f.form.fields[0].text = "tier=gold"
        #expect(OperatePlanner.submit(f, state: state)
                == .send([.putLabel(hostID: Self.host, key: "tier", value: "gold"), .deleteLabel(hostID: Self.host, key: "zone")]))
        f.form.fields[0].text = "zone=east"
        guard case .form(let same) = OperatePlanner.submit(f, state: state) else { Issue.record("sent no change"); return }
        #expect(same.form.field("labels")?.error == "no changes")
    }

    @Test func updateNeedsADifferentReference() {
        let state = Self.state()
        guard case .form(var f) = OperatePlanner.begin(.updateComponent, target: .component(hostID: Self.host, componentID: "echo"), state: state)
        else { Issue.record("no form"); return }
        guard case .form(let same) = OperatePlanner.submit(f, state: state) else { Issue.record("sent the same ref"); return }
        #expect(same.form.field("ref")?.error == "that is the current reference")
        f.form.fields[0].text = "ghcr.io/w/echo:2"
        #expect(OperatePlanner.submit(f, state: state) == .send([.updateComponent(hostID: Self.host, componentID: "echo", imageRef: "ghcr.io/w/echo:2")]))
    }

    // MARK: Read-only settings

    @Test func readOnlyComesFromTheFlagTheEnvironmentOrTheContextSetting() {
        let settings = LatticeTopSettings(contexts: ["prod": .init(readonly: true)])
        #expect(settings.isReadOnly(flag: false, context: "prod", environment: [:]))
        #expect(!settings.isReadOnly(flag: false, context: "dev", environment: [:]))
        #expect(settings.isReadOnly(flag: true, context: "dev", environment: [:]))
        #expect(settings.isReadOnly(flag: false, context: nil, environment: ["LATTICETOP_READONLY": "1"]))
        #expect(LatticeTopSettings(readonly: true).isReadOnly(flag: false, context: nil, environment: [:]))
    }

    @Test func theSettingsFileIsReadAndABrokenOneNamesItself() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ltcfg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["XDG_CONFIG_HOME": dir.path]
        #expect(try LatticeTopSettings.load(environment: env) == LatticeTopSettings())
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("latticetop"), withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("latticetop/config.json")
        try Data(#"{"contexts": {"prod": {"readonly": true}}}"#.utf8).write(to: file)
        #expect(try LatticeTopSettings.load(environment: env).contexts?["prod"]?.readonly == true)
        try Data("{ nope".utf8).write(to: file)
        #expect(throws: WashContextStore.Failure.self) { try LatticeTopSettings.load(environment: env) }
    }

    @Test func readOnlyDropsEveryMutatingKeyFromTableHintsAndHelp() {
        for pane in PaneID.allCases {
            var app = AppState(readOnly: true)
            app.pane = pane
            #expect(!app.bindings.contains { $0.dangerous })
            let hints = app.hints.map(\.label)
            for label in ["start provider", "stop provider", "scale", "update image", "labels", "stop host"] {
                #expect(!hints.contains(label))
                #expect(!Screen.helpLines(app).contains { $0.hasSuffix(label) })
            }
        }
        var rw = AppState()
        rw.pane = .providers
        #expect(rw.hints.map(\.label).contains("start provider"))
        #expect(Screen.helpLines(rw).contains { $0.hasSuffix("stop provider") })
    }
}
