import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the user's editor (`$VISUAL`, else `$EDITOR`, else `vi`) on a text, in the terminal
/// (the UI loop has handed the terminal over meanwhile), and returns the text as saved. The file
/// is private (0600, it may hold secrets) and removed afterwards.
struct ExternalEditor: Sendable {
    var command: String
    var directory: URL

    init(environment: [String: String], directory: URL = FileManager.default.temporaryDirectory) {
        let chosen = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0?.trimmed }.first { !$0.isEmpty }
        self.init(command: chosen ?? "vi", directory: directory)
    }

    init(command: String, directory: URL = FileManager.default.temporaryDirectory) {
        self.command = command
        self.directory = directory
    }

    /// `edit` on a thread of its own: it waits for the editor, which may take minutes, so not on
    /// a thread of Swift's cooperative pool (the effect runner runs there).
    func editOnOwnThread(_ text: String, name: String) async -> Result<String, Failure> {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.edit(text, name: name)) }
            thread.name = "latticetop-editor"
            thread.start()
        }
    }

    struct Failure: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// Edits `text` in a file named after `name` with `suffix`; the saved text, or why not.
    func edit(_ text: String, name: String, suffix: String = ".yaml") -> Result<String, Failure> {
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }.prefix(40))
        let url = directory.appendingPathComponent("latticetop-\(safe)-\(UUID().uuidString.prefix(8))\(suffix)")
        guard FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            return .failure(Failure(description: "cannot write \(url.path)"))
        }
        defer { try? FileManager.default.removeItem(at: url) }
        let status: Int32
        switch Self.run(["/bin/sh", "-c", "\(command) \"$1\"", "sh", url.path]) {
        case .success(let s): status = s
        case .failure(let f): return .failure(f)
        }
        if status == 127 { return .failure(Failure(description: "cannot run the editor '\(command)' (set $EDITOR)")) }
        if status != 0 { return .failure(Failure(description: "the editor '\(command)' exited with status \(status); nothing applied")) }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return .failure(Failure(description: "the edited file \(url.path) is gone"))
        }
        guard let saved = String(data: data, encoding: .utf8) else {
            return .failure(Failure(description: "the edited file is not UTF-8 text"))
        }
        return .success(saved)
    }

    /// Runs `argv` with this process's terminal and waits for it. Like system(3), SIGINT and
    /// SIGQUIT are ignored here meanwhile (they are the child's); the child gets default signal
    /// handling and an empty signal mask.
    static func run(_ argv: [String]) -> Result<Int32, Failure> {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGWINCH, SIGTSTP] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var ignore = sigaction()
        #if canImport(Glibc)
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        #else
        ignore.__sigaction_u.__sa_handler = SIG_IGN
        #endif
        sigemptyset(&ignore.sa_mask)
        var oldInt = sigaction(), oldQuit = sigaction()
        sigaction(SIGINT, &ignore, &oldInt)
        sigaction(SIGQUIT, &ignore, &oldQuit)
        defer {
            sigaction(SIGINT, &oldInt, nil)
            sigaction(SIGQUIT, &oldQuit, nil)
        }

        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], nil, &attributes, cArgs, environ)
        guard spawned == 0 else {
            return .failure(Failure(description: "cannot start \(argv[0]): \(String(cString: strerror(spawned)))"))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return .failure(Failure(description: "lost the editor process: \(String(cString: strerror(errno)))")) }
        }
        return .success((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f))
    }
}
