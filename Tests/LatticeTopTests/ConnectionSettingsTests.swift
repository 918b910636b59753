import Foundation
import Testing
@testable import LatticeTop

@Suite struct ConnectionSettingsTests {
    let noContexts = WashContextStore(directories: ["/nonexistent-latticetop-test"])

    @Test func defaultsAreWashDefaults() throws {
        let s = try ConnectionSettings.resolve(ConnectionInputs(), environment: [:], contexts: noContexts)
        #expect(s.nats.servers == ["nats://127.0.0.1:4222"])
        #expect(s.lattice == "default")
        #expect(s.ctlTopicPrefix == "wasmbus.ctl")
        #expect(s.timeout == .milliseconds(2000))
        #expect(s.nats.credentialsFile == nil)
        #expect(s.contextName == nil)
    }

    @Test func washEnvironmentVariablesApply() throws {
        let env = [
            "WASMCLOUD_CTL_HOST": "nats.example", "WASMCLOUD_CTL_PORT": "4333", "WASMCLOUD_LATTICE": "prod",
            "WASMCLOUD_CTL_TIMEOUT_MS": "750", "WASMCLOUD_CTL_TOPIC_PREFIX": "custom.ctl",
            "WASH_CTL_CREDS": "/tmp/x.creds", "WASMCLOUD_CTL_TLS_CA_FILE": "/tmp/ca.pem",
        ]
        let s = try ConnectionSettings.resolve(ConnectionInputs(), environment: env, contexts: noContexts)
        #expect(s.nats.servers == ["nats://nats.example:4333"])
        #expect(s.lattice == "prod")
        #expect(s.timeout == .milliseconds(750))
        #expect(s.ctlTopicPrefix == "custom.ctl")
        #expect(s.nats.credentialsFile == "/tmp/x.creds")
        #expect(s.nats.tlsCAFile == "/tmp/ca.pem")
    }

    @Test func jwtAndSeedFromEnvironmentWinOverCredsFile() throws {
        let env = ["WASMCLOUD_CTL_JWT": "eyJ.jwt", "WASMCLOUD_CTL_SEED": "SUSEED", "WASMCLOUD_CTL_CREDS": "/tmp/x.creds"]
        let s = try ConnectionSettings.resolve(ConnectionInputs(), environment: env, contexts: noContexts)
        #expect(s.nats.jwt == "eyJ.jwt")
        #expect(s.nats.nkeySeed == "SUSEED")
        #expect(s.nats.credentialsFile == nil)
    }

    @Test func flagsWinOverEnvironment() throws {
        var i = ConnectionInputs()
        i.natsURLs = ["nats://a:1,nats://b:2", "nats://c:3"]
        i.lattice = "flag"
        i.timeoutMilliseconds = 100
        let env = ["WASMCLOUD_CTL_HOST": "ignored", "WASMCLOUD_LATTICE": "env"]
        let s = try ConnectionSettings.resolve(i, environment: env, contexts: noContexts)
        #expect(s.nats.servers == ["nats://a:1", "nats://b:2", "nats://c:3"])
        #expect(s.lattice == "flag")
        #expect(s.timeout == .milliseconds(100))
    }

    @Test func hostWithSchemeAndCredentials() {
        #expect(ConnectionSettings.url(host: "tls://u:p@h", port: 4222) == "tls://u:p@h:4222")
        #expect(ConnectionSettings.url(host: "h:5000", port: 4222) == "nats://h:5000")
        #expect(ConnectionSettings.url(host: "u:p@h", port: 1) == "nats://u:p@h:1")
    }

    @Test func badValuesGiveClearErrors() {
        var i = ConnectionInputs()
        i.lattice = "a.b"
        #expect(throws: ConnectionSettings.Failure.self) {
            try ConnectionSettings.resolve(i, environment: [:], contexts: noContexts)
        }
        #expect(throws: ConnectionSettings.Failure.self) {
            try ConnectionSettings.resolve(ConnectionInputs(), environment: ["WASMCLOUD_CTL_PORT": "abc"], contexts: noContexts)
        }
        var j = ConnectionInputs()
        j.password = "secret"
        #expect(throws: ConnectionSettings.Failure.self) {
            try ConnectionSettings.resolve(j, environment: [:], contexts: noContexts)
        }
    }

    @Test func washContextsAreReadWithDefaultAndNamedContexts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ctx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try #"{"name":"staging","ctl_host":"10.9.8.7","ctl_port":4999,"lattice":"stage","ctl_timeout":3000}"#
            .write(to: dir.appendingPathComponent("staging.json"), atomically: true, encoding: .utf8)
        try #"{"name":"old","ctl_host":"old-host","ctl_port":"4111","lattice_prefix":"legacy"}"#
            .write(to: dir.appendingPathComponent("old.json"), atomically: true, encoding: .utf8)
        try "staging\n".write(to: dir.appendingPathComponent("default"), atomically: true, encoding: .utf8)
        let store = WashContextStore(environment: ["WASH_CONTEXT_DIR": dir.path])
        #expect(store.names() == ["old", "staging"])

        let s = try ConnectionSettings.resolve(ConnectionInputs(), environment: [:], contexts: store)
        #expect(s.nats.servers == ["nats://10.9.8.7:4999"])
        #expect(s.lattice == "stage")
        #expect(s.timeout == .milliseconds(3000))
        #expect(s.contextName == "staging")

        var i = ConnectionInputs()
        i.context = "old"
        let o = try ConnectionSettings.resolve(i, environment: ["WASMCLOUD_LATTICE": "envwins"], contexts: store)
        #expect(o.nats.servers == ["nats://old-host:4111"])
        #expect(o.lattice == "envwins")

        i.context = "missing"
        #expect(throws: ConnectionSettings.Failure.self) {
            try ConnectionSettings.resolve(i, environment: [:], contexts: store)
        }
    }

    @Test func invalidContextFileNamesFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ctx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "{\n  \"ctl_host\": \"x\",\n  oops\n}".write(to: dir.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let store = WashContextStore(directories: [dir.path])
        do {
            _ = try store.load("bad")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("bad.json"))
            #expect(error.description.contains("line 3"))
        }
    }

    func contextDirectory(_ files: [String: [UInt8]]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ctx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    static let hostileContexts: [String: (bytes: [UInt8], line: String, mentions: String)] = [
        "wrong type": (Array("{\n  \"name\": \"w\",\n  \"ctl_host\": \"h\",\n  \"ctl_port\": [4222]\n}".utf8), "line 4", "ctl_port"),
        "number as text": (Array("{\n  \"lattice\": \"x\",\n  \"ctl_timeout\": \"soon\"\n}".utf8), "line 3", "ctl_timeout"),
        "number for a string": (Array("{\"ctl_host\": 7}".utf8), "line 1", "ctl_host"),
        "invalid UTF-8": (Array("{\n  \"ctl_host\": \"".utf8) + [0xFF, 0xFE] + Array("\"\n}".utf8), "line 2", "JSON"),
        "deep nesting": (Array(String(repeating: "[", count: 100_000).utf8), "line 1", "JSON"),
        "not an object": (Array("\n\n[1, 2, 3]".utf8), "line 3", "JSON object"),
        "binary": ((0..<512).map { UInt8(truncatingIfNeeded: $0 &* 31) }, "line", "JSON"),
    ]

    @Test(arguments: hostileContexts.keys.sorted())
    func invalidContextErrorsNameFileAndLine(_ what: String) throws {
        let (bytes, line, key) = try #require(Self.hostileContexts[what])
        let dir = try contextDirectory(["bad.json": bytes])
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = WashContextStore(directories: [dir.path])
        do {
            _ = try store.load("bad")
            Issue.record("\(what): expected an error")
        } catch {
            #expect(error.description.contains(dir.appendingPathComponent("bad.json").path), "\(what): \(error)")
            #expect(error.description.contains(line), "\(what): \(error)")
            #expect(error.description.contains(key), "\(what): \(error)")
            #expect(!error.description.contains("\n"), "\(what): one line")
        }
    }

    @Test func invalidDefaultContextIsReportedThenDefaultsApply() throws {
        let dir = try contextDirectory(["default": Array("broken\n".utf8), "broken.json": Array("{\n  \"ctl_port\": \"x\"\n}".utf8)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = WashContextStore(environment: ["WASH_CONTEXT_DIR": dir.path])
        let settings = try ConnectionSettings.resolve(ConnectionInputs(), environment: [:], contexts: store)
        #expect(settings.nats.servers == ["nats://127.0.0.1:4222"])
        #expect(settings.lattice == "default")
        #expect(settings.contextName == nil)
        #expect(settings.warnings.count == 1)
        #expect(settings.warnings.first?.contains(dir.appendingPathComponent("broken.json").path + ": line 2") == true, "\(settings.warnings)")
        #expect(settings.warnings.first?.contains("using the defaults") == true)

        // Asked for by name, the same file is an error: connecting elsewhere would be a surprise.
        var inputs = ConnectionInputs()
        inputs.context = "broken"
        #expect(throws: ConnectionSettings.Failure.self) {
            try ConnectionSettings.resolve(inputs, environment: [:], contexts: store)
        }
    }
}
