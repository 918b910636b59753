import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `latticetop sim --processes P`: splits `--hosts N` over P child `latticetop sim` processes on the
/// same lattice, starts them, relays their output line by line, and stops them all when it is told
/// to stop or when one of them ends on its own (then it exits 1). Child `k` simulates a contiguous
/// range of the lattice's host indexes, with IDs and names derived from one shared seed, so host
/// IDs are unique across the children and the same for the same seed. Child 0 holds the workload,
/// links, config and wadm and answers the lattice-wide requests; the others are hosts only, except
/// that a `--scale` workload is placed lattice-wide (each child starts the components and
/// providers that fall on its hosts: the same lattice as one process would simulate).
struct SimSupervisor {
    let hosts: Int
    let processes: Int
    let seed: UInt64
    let lattice: String
    let servers: [String]

    /// Child `k`'s share: its first host index and how many hosts (the remainder goes to the first ones).
    static func shares(hosts: Int, processes: Int) -> [(first: Int, count: Int)] {
        let p = max(1, processes)
        var out: [(first: Int, count: Int)] = []
        var first = 0
        for k in 0..<p {
            let count = hosts / p + (k < hosts % p ? 1 : 0)
            out.append((first, count))
            first += count
        }
        return out
    }

    /// The arguments `sim` was given, without the ones the supervisor sets per child.
    static func passedOn(_ arguments: [String]) -> [String] {
        let owned = ["--processes", "--hosts", "--host-seed", "--first-host", "--parent-pid", "--lattice-hosts"]
        var out: [String] = []
        var skipNext = false
        for a in arguments {
            if skipNext { skipNext = false; continue }
            if owned.contains(a) { skipNext = true; continue }
            if owned.contains(where: { a.hasPrefix($0 + "=") }) || a == "--hosts-only" { continue }
            out.append(a)
        }
        return out
    }

    /// Child `k`'s arguments after `sim`.
    func childArguments(_ k: Int, share: (first: Int, count: Int), given: [String]) -> [String] {
        var args = Self.passedOn(given) + ["--hosts", String(share.count), "--host-seed", String(seed),
                                           "--first-host", String(share.first), "--lattice-hosts", String(hosts),
                                           "--parent-pid", String(getpid())]
        if k > 0 { args.append("--hosts-only") }
        return args
    }

    private enum Event: Sendable {
        case stop
        case exited(child: Int, status: Int32)
    }

    /// Runs the children until a stop; the exit status (0, or 1 when a child ended by itself).
    func run() async -> Int32 {
        let given = Array(CommandLine.arguments.drop { $0 != "sim" }.dropFirst())
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe")
        let (events, continuation) = AsyncStream<Event>.makeStream()
        StopRequest.shared.listen()
        StopRequest.shared.onStop { _ in continuation.yield(.stop) }
        let shares = Self.shares(hosts: hosts, processes: processes)
        let relay = LineRelay(expected: shares.map(\.count)) {
            CommandSupport.printText("simulating \(hosts) host(s) in \(processes) processes on lattice \(lattice) at \(servers.joined(separator: ","))\n")
        }
        var children: [Process] = []
        for (k, share) in shares.enumerated() {
            let child = Process()
            child.executableURL = executable
            child.arguments = ["sim"] + childArguments(k, share: share, given: given)
            let out = Pipe()
            child.standardOutput = out
            child.standardError = FileHandle.standardError
            child.terminationHandler = { p in continuation.yield(.exited(child: k, status: p.terminationStatus)) }
            do {
                try child.run()
            } catch {
                CommandSupport.warn("cannot start sim process \(k): \(error)")
                Self.stop(children)
                return 1
            }
            children.append(child)
            relay.pump(out.fileHandleForReading, child: k)
        }
        var status: Int32 = 0
        for await event in events {
            // A child that ends because the terminal's Ctrl-C reached it too is part of the stop.
            if case .exited(let k, let code) = event, StopRequest.shared.reason == nil {
                let share = shares[k]
                CommandSupport.warn("sim process \(k) (hosts \(share.first)–\(share.first + share.count - 1)) exited with status \(code); stopping the others")
                status = 1
            }
            break
        }
        Self.stop(children)
        relay.waitUntilDrained()
        return status
    }

    /// SIGTERM to every child still running, then waits (SIGKILL after 10 s).
    static func stop(_ children: [Process]) {
        for c in children where c.isRunning { kill(c.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(10)
        for c in children {
            while c.isRunning && Date() < deadline { usleep(20_000) }
            if c.isRunning { kill(c.processIdentifier, SIGKILL) }
            c.waitUntilExit()
        }
    }

    /// In a child: ask to stop once `parent` is no longer this process's parent (it died without
    /// stopping us, e.g. SIGKILL).
    static func stopWhenOrphaned(parent: Int32) {
        Thread.detachNewThread {
            while getppid() == parent { sleep(1) }
            StopRequest.shared.request(.signal(SIGHUP))
        }
    }
}

/// Copies each child's stdout to ours in whole lines (never one child's half line inside another's),
/// and calls `allUp` once every child has listed all its hosts (`  host …` lines).
final class LineRelay: Sendable {
    private struct State {
        var listed: [Int]
        var announced = false
        var open = 0
    }
    private let state: Mutex<State>
    private let expected: [Int]
    private let allUp: @Sendable () -> Void

    init(expected: [Int], allUp: @escaping @Sendable () -> Void) {
        self.expected = expected
        self.state = Mutex(State(listed: expected.map { _ in 0 }))
        self.allUp = allUp
    }

    func pump(_ handle: FileHandle, child: Int) {
        state.withLock { $0.open += 1 }
        Thread.detachNewThread { [self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                guard let last = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
                let lines = pending[...last]
                pending = Data(pending[(last + 1)...])
                write(String(decoding: lines, as: UTF8.self), child: child)
            }
            if !pending.isEmpty { write(String(decoding: pending, as: UTF8.self) + "\n", child: child) }
            state.withLock { $0.open -= 1 }
        }
    }

    private func write(_ text: String, child: Int) {
        let hostLines = text.split(separator: "\n").count { $0.hasPrefix("  host ") }
        let complete = state.withLock { s -> Bool in
            CommandSupport.printText(text)
            s.listed[child] += hostLines
            guard !s.announced, zip(s.listed, expected).allSatisfy({ $0 >= $1 }) else { return false }
            s.announced = true
            return true
        }
        if complete { allUp() }
    }

    /// Waits (at most 5 s) until every child's output has ended.
    func waitUntilDrained() {
        let deadline = Date().addingTimeInterval(5)
        while state.withLock({ $0.open > 0 }) && Date() < deadline { usleep(10_000) }
    }
}
