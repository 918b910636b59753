import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real `latticetop` binary with its stdout on a pipe this test reads and can close early (as
/// `| head` does), its stderr collected, and its descendants (the demo's nats-server) listed from
/// /proc. Spawned with `posix_spawn` and close-on-exec pipes, so the child holds no copy of the
/// read end: closing it here really leaves the pipe without a reader.
final class PipedProcess: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let pid: pid_t
    private var stdoutFD: Int32
    private let stderrLock = NSLock()
    private var stderrData = Data()
    private let stderrDone = DispatchSemaphore(value: 0)
    private(set) var output = Data()
    private var drainedData = Data()
    private let drainDone = DispatchSemaphore(value: 0)
    private var exitStatus: Int32?

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let binary = try GetCommandTests.binary().path
        var out: [Int32] = [0, 0], err: [Int32] = [0, 0]
        guard pipe(&out) == 0, pipe(&err) == 0 else { throw Failure(description: "pipe failed") }
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                   "HOME": FileManager.default.temporaryDirectory.path,
                   "WASH_CONTEXT_DIR": "/nonexistent-latticetop"]
        env.merge(environment) { _, new in new }
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        Glibc.close(out[1])
        Glibc.close(err[1])
        guard rc == 0 else {
            Glibc.close(out[0])
            Glibc.close(err[0])
            throw Failure(description: "posix_spawn \(binary): \(rc)")
        }
        self.pid = pid
        stdoutFD = out[0]
        pump(err[0], done: stderrDone) { [self] in stderrData.append(contentsOf: $0) }
    }

    /// Reads `fd` to its end on a thread of its own, handing each chunk to `take` under the lock.
    private func pump(_ fd: Int32, done: DispatchSemaphore, _ take: @escaping @Sendable (ArraySlice<UInt8>) -> Void) {
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = Glibc.read(fd, &buffer, buffer.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                stderrLock.withLock { take(buffer[0..<n]) }
            }
            Glibc.close(fd)
            done.signal()
        }
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            _ = waitForExit(within: .seconds(5))
        }
        if stdoutFD >= 0 { Glibc.close(stdoutFD) }
    }

    /// Reads stdout until `done(output)` holds or `timeout` passes; false on timeout or end of output.
    @discardableResult
    func read(within timeout: Duration, until done: (Data) -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !done(output) {
            let left = deadline - ContinuousClock.now
            guard left > .zero, stdoutFD >= 0 else { return false }
            var p = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            let ms = Int32(min(1000, max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
            guard poll(&p, 1, ms) > 0 else { continue }
            let n = Glibc.read(stdoutFD, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            output.append(contentsOf: buffer[0..<n])
        }
        return true
    }

    /// Reads until the output contains `text`.
    @discardableResult
    func read(until text: String, within timeout: Duration) -> Bool {
        read(within: timeout) { String(decoding: $0, as: UTF8.self).contains(text) }
    }

    /// Reads stdout on a thread of its own from now on, as `> file` would take it, into `drained`.
    func startDraining() {
        let fd = stdoutFD
        stdoutFD = -1
        pump(fd, done: drainDone) { [self] in drainedData.append(contentsOf: $0) }
    }

    /// What the draining thread read (all of it once the process has exited).
    var drained: Data {
        _ = drainDone.wait(timeout: .now() + 5)
        drainDone.signal()
        return stderrLock.withLock { drainedData }
    }

    /// Closes the read end: the reader has gone, as when `head` exits.
    func closeOutput() {
        if stdoutFD >= 0 { Glibc.close(stdoutFD) }
        stdoutFD = -1
    }

    /// The exit status (128 + N when killed by signal N), or nil if still running after `timeout`.
    func waitForExit(within timeout: Duration) -> Int32? {
        if let exitStatus { return exitStatus }
        let deadline = ContinuousClock.now + timeout
        repeat {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                let signalled = status & 0x7f
                exitStatus = signalled == 0 ? (status >> 8) & 0xff : 128 + signalled
                return exitStatus
            }
            usleep(10_000)
        } while ContinuousClock.now < deadline
        return nil
    }

    func signal(_ sig: Int32) { kill(pid, sig) }

    /// Everything written to stderr (waits for its end; call after the process exited).
    var stderr: String {
        _ = stderrDone.wait(timeout: .now() + 5)
        return stderrLock.withLock { String(decoding: stderrData, as: UTF8.self) }
    }

    /// What stderr has had so far (while it runs).
    var stderrSoFar: String {
        stderrLock.withLock { String(decoding: stderrData, as: UTF8.self) }
    }

    /// The process's descendants now (children, their children, …), from /proc.
    func descendants() -> [pid_t] {
        var parents: [pid_t: pid_t] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let p = pid_t(entry), let ppid = Self.parent(of: p) else { continue }
            parents[p] = ppid
        }
        var found: [pid_t] = []
        var frontier: Set<pid_t> = [pid]
        while !frontier.isEmpty {
            let next = Set(parents.filter { frontier.contains($0.value) }.keys)
            found += next
            frontier = next
        }
        return found
    }

    /// Whether `pid` still runs (a zombie has ended: it only waits for its parent to reap it).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
        return state != "Z" && state != "X"
    }

    private static func parent(of pid: pid_t) -> pid_t? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) : nil
    }
}
