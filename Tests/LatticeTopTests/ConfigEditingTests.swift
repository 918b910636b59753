import Foundation
import LatticeState
import Testing
@testable import LatticeTop

@Suite struct ConfigEditingTests {
    // MARK: - Masking

    @Test func secretLookingValuesAreMaskedUnlessRevealed() {
        #expect(SecretMask.mask(key: "password", value: "hunter2") == "••••••")
        #expect(SecretMask.mask(key: "API_TOKEN", value: "t") == "••••••")
        #expect(SecretMask.mask(key: "url", value: "redis://x") == "redis://x")
        #expect(SecretMask.mask(key: "password", value: "hunter2", revealed: true) == "hunter2")
    }

    @Test func passwordsInsideURLValuesAreMasked() {
        #expect(SecretMask.mask(key: "url", value: "redis://user:pass@host") == "redis://user:•••@host")
        #expect(SecretMask.mask(key: "url", value: "redis://user:pass@host", revealed: true) == "redis://user:pass@host")
        // Path, query and port stay; a password with ':' or '@' in it is masked whole.
        #expect(SecretMask.mask(key: "dsn", value: "postgres://app:s3:cr@t@db.internal:5432/shop?sslmode=require")
                == "postgres://app:•••@db.internal:5432/shop?sslmode=require")
        // Each of several URLs (cluster seeds), and URLs inside longer text.
        #expect(SecretMask.mask(key: "servers", value: "nats://a:one@h1:4222,nats://b:two@h2:4222")
                == "nats://a:•••@h1:4222,nats://b:•••@h2:4222")
        #expect(SecretMask.mask(key: "note", value: "use amqp://guest:guest@mq/vhost now") == "use amqp://guest:•••@mq/vhost now")
        // No password: nothing to hide.
        for plain in ["redis://host:6379", "redis://user@host", "redis://user:@host", "http://[::1]:80/a@b", "not a url: a:b@c"] {
            #expect(SecretMask.mask(key: "url", value: plain) == plain)
        }
        // The audit log's JSON bodies too.
        #expect(SecretMask.maskJSON(Data(#"{"values":{"url":"redis://u:p@h"}}"#.utf8)) == #"{"values":{"url":"redis://u:•••@h"}}"#)
    }

    // MARK: - Draft

    @Test func draftValidatesNameKeysAndChange() {
        var d = ConfigDraft()
        #expect(d.validate(existingNames: []).map(\.message) == ["the config needs a name"])
        d.name = "redis.url"
        #expect(d.validate(existingNames: []).map(\.message) == ["config name must not contain '.'"])
        d.name = "SECRET_x"
        #expect(d.validate(existingNames: []).map(\.message).first?.hasPrefix("names starting with SECRET") == true)
        d.name = "redis"
        #expect(d.validate(existingNames: ["redis"]).map(\.message) == ["config redis exists already (edit it with e)"])
        d.entries = [.init("url", "redis://a"), .init("", "orphan"), .init("url", "redis://b"), .init("", "")]
        #expect(d.validate(existingNames: []).map(\.message) == ["entry 2 has a value but no key", "key 'url' appears twice"])
        d.entries = [.init(" url ", "redis://a"), .init("", "")]
        #expect(d.validate(existingNames: []).map(\.message).isEmpty)
        #expect(d.values == ["url": "redis://a"])

        var e = ConfigDraft(editing: "redis", values: ["url": "redis://a"])
        #expect(e.validate(existingNames: ["redis"]).map(\.message) == ["nothing changed"])
        e.set("url", "redis://b")
        e.set("password", "p")
        #expect(e.values == ["url": "redis://b", "password": "p"])
        #expect(e.validate(existingNames: ["redis"]).map(\.message).isEmpty)
        e.remove(at: 0)
        #expect(e.values == ["password": "p"])
    }

    @Test func diffMasksSecretsButShowsThatTheyChanged() {
        var e = ConfigDraft(editing: "db", values: ["host": "a", "password": "old", "user": "u"])
        e.set("host", "b")
        e.set("password", "new")
        e.entries.removeAll { $0.key == "user" }
        #expect(e.diff().map(\.text) == [
            "- host           a",
            "+ host           b",
            "- password       ••••••  (changed)",
            "+ password       ••••••  (changed)",
            "- user           u",
        ])
        #expect(e.diff(reveal: ["password"]).map(\.text).contains("+ password       new"))
        #expect(ConfigDraft.diff(old: ["k": "v"], new: nil).map(\.kind) == [.removed])
    }

    // MARK: - YAML

    @Test func documentRoundTripsEveryKindOfString() throws {
        let values = ["port": "8080", "enabled": "true", "empty": "", "multi": "a\nb", "quote": "it's \"x\"", "colon": "a: b",
                      "hash": "# not a comment", "null": "null", "lead": " spaced ", "tilde": "~", "unicode": "héllo ✓",
                      "key with spaces": "v", "tab": "a\tb"]
        let doc = ConfigYAML.document(name: "app", values: values)
        #expect(doc.hasPrefix("# Named config 'app'"))
        #expect(ConfigYAML.parse(doc) == .success(.values(values)))
        #expect(ConfigYAML.parse(ConfigYAML.document(name: "e", values: [:])) == .success(.values([:])))
    }

    @Test func numbersAndBooleansKeepTheirText() {
        #expect(ConfigYAML.parse("port: 8080\nratio: 0.50\non: yes\n") == .success(.values(["port": "8080", "ratio": "0.50", "on": "yes"])))
    }

    @Test func onlyCommentsMeansCancel() {
        #expect(ConfigYAML.parse("# nothing\n\n") == .success(.empty))
        #expect(ConfigYAML.parse("") == .success(.empty))
    }

    @Test func badDocumentsNameTheLine() {
        func problem(_ text: String) -> ConfigYAML.Problem? {
            if case .failure(let p) = ConfigYAML.parse(text) { return p }
            return nil
        }
        #expect(problem("# header\na: 1\nb: [1, 2]\n")?.description == "line 3: the value of 'b' is a list; config values are strings")
        #expect(problem("a: 1\nb:\n  c: d\n")?.description == "line 2: the value of 'b' is a nested map; config values are strings")
        #expect(problem("a: 1\nb:\n")?.description == "line 2: 'b' has no value (write \"\" for an empty one)")
        #expect(problem("a: 1\nx: 2\na: 3\n")?.description == "line 3: key 'a' appears twice (first on line 1)")
        #expect(problem("- a\n- b\n")?.description == "line 1: expected 'key: value' lines, found a list")
        let syntax = problem("a: 1\nb: \"unterminated\nc: 3\n")
        #expect(syntax?.line == 2, "the line where the unterminated quote starts")
        #expect(problem("a: 1\nb: [1, 2\nc: 3\n")?.line == 2)
        #expect(syntax?.message.hasPrefix("not valid YAML") == true)
        #expect(problem("a: 1\n  b: 2\n")?.line == 2)
    }
}

@Suite struct ConfigEditorSessionTests {
    @Test func validChangedValuesAreApplied() {
        var s = ConfigEditorSession(name: "db", values: ["host": "a"])
        #expect(s.presented.contains("host: a"))
        #expect(s.received(s.presented.replacingOccurrences(of: "host: a", with: "host: b\nport: 5432")) == .apply(["host": "b", "port": "5432"]))
    }

    @Test func unchangedEmptiedOrSameValuesCancel() {
        var s = ConfigEditorSession(name: "db", values: ["host": "a"])
        #expect(s.received(s.presented) == .cancelled("config db unchanged"))
        #expect(s.received("# all gone\n") == .cancelled("config db: the file was emptied, nothing applied"))
        #expect(s.received("host: 'a'\n") == .cancelled("config db unchanged"))
    }

    @Test func anInvalidFileIsHandedBackWithTheProblemAndTheUsersText() throws {
        var s = ConfigEditorSession(name: "db", values: ["host": "a"])
        let broken = s.presented + "nested:\n  x: y\n"
        guard case .reopen(let again) = s.received(broken) else { Issue.record("expected reopen"); return }
        // The line is the one in the file handed back (its header is longer).
        #expect(again.contains("# NOT APPLIED — line 7: the value of 'nested' is a nested map"))
        #expect(again.split(separator: "\n", omittingEmptySubsequences: false)[6] == "nested:")
        #expect(again.hasSuffix("host: a\nnested:\n  x: y\n"))
        #expect(again.components(separatedBy: "# Named config 'db'").count == 2)   // one header, not two
        // Left unchanged: stop and keep the text, nothing lost.
        guard case .keep(let kept, let problem) = s.received(again) else { Issue.record("expected keep"); return }
        #expect(kept == again)
        #expect(problem.line == 7)
        // Resumed later: the same text under a fresh header; fixing it applies.
        var resumed = ConfigEditorSession(name: "db", values: ["host": "a"], resuming: kept, problem: problem)
        #expect(resumed.presented == again)
        #expect(resumed.received(resumed.presented.replacingOccurrences(of: "nested:\n  x: y\n", with: "nested: x=y\n"))
            == .apply(["host": "a", "nested": "x=y"]))
    }
}

@Suite struct ConfigEditorRunTests {
    @Test func theFlashAfterTheEditorCountsFromWhenItReturned() {
        var app = AppState()
        let later = Date().addingTimeInterval(600)
        app.runConfigEditor(ConfigEditorSession(name: "db", values: ["a": "b"]), state: LatticeState(), now: { later }) { .success($0) }
        #expect(app.flash?.message == "config db unchanged")
        #expect((app.flash?.until ?? .distantPast) > later)
    }

    @Test func anEditorThatCannotRunChangesNothingAndSaysWhy() {
        var app = AppState()
        app.runConfigEditor(ConfigEditorSession(name: "db", values: ["a": "b"]), state: LatticeState(), now: { Date() }) { _ in
            .failure(ExternalEditor.Failure(description: "cannot run the editor 'nope' (set $EDITOR)"))
        }
        #expect(app.flash?.message == "config db not changed: cannot run the editor 'nope' (set $EDITOR)")
        #expect(app.flash?.isError == true && app.mode == .normal && app.operateContext.keptConfigTexts.isEmpty)
    }

    @Test func theExternalEditorRunsThroughTheShellOnAPrivateFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lt-editor-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("ed.sh")
        try "#!/bin/sh\nstat -c %a \"$1\" > '\(dir.path)/mode'\nprintf 'added: yes\\n' >> \"$1\"\n".write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        let editor = ExternalEditor(environment: ["EDITOR": script.path], directory: dir)
        #expect(try editor.edit("a: b\n", name: "my/config").get() == "a: b\nadded: yes\n")
        #expect(try String(contentsOf: dir.appendingPathComponent("mode"), encoding: .utf8) == "600\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["ed.sh", "mode"], "the file is removed")
        // VISUAL wins over EDITOR; a missing editor is a clear error; a failing one applies nothing.
        #expect(ExternalEditor(environment: ["VISUAL": "v", "EDITOR": "e"]).command == "v")
        #expect(ExternalEditor(environment: [:]).command == "vi")
        guard case .failure(let missing) = ExternalEditor(environment: ["EDITOR": "/nonexistent/editor"], directory: dir).edit("x", name: "c")
        else { Issue.record("a missing editor must fail"); return }
        #expect(missing.description == "cannot run the editor '/nonexistent/editor' (set $EDITOR)")
        guard case .failure(let failing) = ExternalEditor(environment: ["EDITOR": "false"], directory: dir).edit("x", name: "c")
        else { Issue.record("a failing editor must fail"); return }
        #expect(failing.description == "the editor 'false' exited with status 1; nothing applied")
    }
}
