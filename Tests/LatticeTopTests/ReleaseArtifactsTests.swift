import Foundation
import Testing
import TestFixtures

/// What a user installs, built and used as they would: `scripts/install` into a temporary PREFIX,
/// and `scripts/package-deb`'s package, checked with `dpkg-deb`, unpacked with `dpkg-deb -x` and
/// its binary run (`--version`, then `demo --headless` answering `get hosts`). Both build the
/// release binary in `.build-release` (shared with `scripts/run`; the first build there takes
/// several minutes on two cores, later ones only relink what changed).
@Suite(.serialized, .timeLimit(.minutes(45)))
struct ReleaseArtifactsTests {
    static let root = FixtureFiles.repositoryRoot

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ltrelease-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs `argv` from the repository root; its output is collected through files.
    static func run(_ argv: [String], in scratch: URL) async throws -> CleanSpawn.Result {
        var environment = ProcessInfo.processInfo.environment
        environment["PWD"] = root.path
        let command = ["/bin/bash", "-c", "cd \"$0\" && exec \"$@\"", root.path] + argv
        return try await Task.detached { try CleanSpawn.run(command, environment: environment, scratch: scratch) }.value
    }

    /// `latticetop 0.1.0 (commit <HEAD>)`, with `+changes` when the tree differs from HEAD.
    static func expectVersion(of binary: String, in scratch: URL, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let head = try await run(["git", "rev-parse", "--short=12", "HEAD"], in: scratch).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(head.count == 12, "git rev-parse: \(head)", sourceLocation: sourceLocation)
        let version = try await run([binary, "--version"], in: scratch)
        #expect(version.status == 0, sourceLocation: sourceLocation)
        let line = version.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line == "latticetop 0.1.0 (commit \(head))" || line == "latticetop 0.1.0 (commit \(head)+changes)",
                "\(binary) --version: \(line)", sourceLocation: sourceLocation)
    }

    static func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    @Test func installPutsBinaryManPageAndCompletionsUnderThePrefix() async throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prefix = scratch.appendingPathComponent("prefix with space")
        let install = try await Self.run(["scripts/install", prefix.path], in: scratch)
        try #require(install.status == 0, "scripts/install failed:\n\(install.stdout)\n\(install.stderr)")

        let binary = prefix.appendingPathComponent("bin/latticetop")
        #expect(FileManager.default.isExecutableFile(atPath: binary.path))
        try await Self.expectVersion(of: binary.path, in: scratch)
        let man = Self.text(prefix.appendingPathComponent("share/man/man1/latticetop.1"))
        #expect(man.contains(".Dt LATTICETOP 1") || man.contains(".TH LATTICETOP 1"), "not a section-1 page:\n\(man.prefix(400))")
        // mdoc: `Fl -nats-url` is rendered as --nats-url.
        for words in [".Nm latticetop", "demo", "Fl -nats-url", "Fl -readonly"] { #expect(man.contains(words), "the man page lacks \(words)") }
        let zsh = Self.text(prefix.appendingPathComponent("share/zsh/site-functions/_latticetop"))
        #expect(zsh.hasPrefix("#compdef latticetop"))
        let fish = Self.text(prefix.appendingPathComponent("share/fish/vendor_completions.d/latticetop.fish"))
        #expect(fish.contains("complete -c 'latticetop'"))

        // The bash completion completes: `latticetop ge<tab>` offers `get`, `latticetop get <tab>` its subjects.
        let bash = prefix.appendingPathComponent("share/bash-completion/completions/latticetop")
        func complete(_ words: [String]) async throws -> [String] {
            let line = words.joined(separator: " ")
            let script = """
                source "$1"; PATH="$2:$PATH"; COMP_WORDS=(\(words.map { "'\($0)'" }.joined(separator: " "))); \
                COMP_CWORD=\(words.count - 1); COMP_LINE='\(line)'; COMP_POINT=\(line.utf8.count); \
                _latticetop latticetop '\(words.last ?? "")' '\(words.dropLast().last ?? "")'; printf '%s\\n' "${COMPREPLY[@]}"
                """
            let r = try await Self.run(["bash", "-c", script, "bash", bash.path, prefix.appendingPathComponent("bin").path], in: scratch)
            #expect(r.status == 0, "bash completion: \(r.stderr)")
            return r.stdout.split(separator: "\n").map(String.init)
        }
        #expect(try await complete(["latticetop", "ge"]).contains("get"))
        #expect(try await complete(["latticetop", "get", ""]).contains("hosts"))
    }

    @Test func debianPackageHoldsWhatItShouldAndItsBinaryRunsTheDemo() async throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let package = try await Self.run(["scripts/package-deb", scratch.path], in: scratch)
        try #require(package.status == 0, "scripts/package-deb failed:\n\(package.stdout)\n\(package.stderr)")
        let deb = package.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let arch = try await Self.run(["dpkg", "--print-architecture"], in: scratch).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(URL(fileURLWithPath: deb).lastPathComponent == "latticetop_0.1.0_\(arch).deb")

        let contents = try await Self.run(["dpkg-deb", "--contents", deb], in: scratch).stdout
        for path in ["./usr/bin/latticetop", "./usr/share/man/man1/latticetop.1.gz", "./usr/share/bash-completion/completions/latticetop",
                     "./usr/share/zsh/vendor-completions/_latticetop", "./usr/share/fish/vendor_completions.d/latticetop.fish",
                     "./usr/share/doc/latticetop/copyright"] {
            #expect(contents.contains(" \(path)\n"), "\(path) is not in the package:\n\(contents)")
        }
        #expect(contents.split(separator: "\n").allSatisfy { $0.contains(" root/root ") }, "owners:\n\(contents)")
        #expect(contents.contains("-rwxr-xr-x root/root"), "the binary is not executable:\n\(contents)")
        let control = try await Self.run(["dpkg-deb", "--field", deb], in: scratch).stdout
        let depends = control.split(separator: "\n").first { $0.hasPrefix("Depends: ") } ?? ""
        #expect(depends.contains("libnats3.4") && depends.contains("libncursesw6"), "\(depends)")
        #expect(control.contains("Recommends: nats-server"))
        #expect(control.contains("Version: 0.1.0\n") && control.contains("Architecture: \(arch)\n"))

        // Unpacked, the binary runs with the Swift runtime inside it.
        let unpacked = scratch.appendingPathComponent("unpacked")
        let extract = try await Self.run(["dpkg-deb", "-x", deb, unpacked.path], in: scratch)
        try #require(extract.status == 0, "dpkg-deb -x: \(extract.stderr)")
        let binary = unpacked.appendingPathComponent("usr/bin/latticetop").path
        try await Self.expectVersion(of: binary, in: scratch)
        let linked = try await Self.run(["ldd", binary], in: scratch).stdout
        #expect(!linked.contains("libswift") && !linked.contains("libFoundation") && !linked.contains("not found"), "\(linked)")

        // `demo --headless`: an embedded nats-server and the simulated lattice, answering `get hosts`.
        let out = scratch.appendingPathComponent("demo.out").path, err = scratch.appendingPathComponent("demo.err").path
        let demo = try CleanSpawn.start([binary, "demo", "--headless"], environment: ProcessInfo.processInfo.environment, stdout: out, stderr: err)
        defer { CleanSpawn.stop(demo) }
        let ready = await eventually(timeout: .seconds(60)) { Self.text(URL(fileURLWithPath: out)).contains("Press Ctrl-C to stop") }
        try #require(ready, "demo --headless did not come up:\n\(Self.text(URL(fileURLWithPath: out)))\n\(Self.text(URL(fileURLWithPath: err)))")
        let banner = Self.text(URL(fileURLWithPath: out))
        let url = try #require(banner.firstMatch(of: /nats:\/\/127\.0\.0\.1:\d+/).map { String($0.output) })
        #expect(banner.contains("Host ") && banner.contains("component") && banner.contains("provider"), "\(banner)")
        let hosts = try await Self.run([binary, "get", "hosts", "--nats-url", url], in: scratch)
        #expect(hosts.status == 0, "\(hosts.stderr)")
        #expect(hosts.stdout.split(separator: "\n").count == 4, "a header and three hosts:\n\(hosts.stdout)")
        // Ctrl-C ends it cleanly, with its nats-server.
        kill(demo, SIGINT)
        let stopped = await eventually(timeout: .seconds(20)) { !CleanSpawn.isRunning(demo) }
        #expect(stopped, "demo still runs after SIGINT")
        let after = try await Self.run([binary, "get", "hosts", "--nats-url", url, "--timeout", "500"], in: scratch)
        #expect(after.status != 0, "the demo's nats-server still answers after the demo ended")
    }
}
