import Foundation
import LatticeClient
import LatticeMonitor
import LatticeSpy
import LatticeState
import MallocTuning
import NATSKit
import TerminalUI

/// Runs the dashboard: connects (retrying in the background, so a lattice that is down shows as
/// such instead of failing), starts the subscription actor, and runs the UI loop on its own
/// thread until the user quits. The terminal is restored however it ends.
public struct DashboardApp: Sendable {
    public struct Options: Sendable {
        public var settings: ConnectionSettings
        public var themeName: String
        public var readOnly: Bool
        public var shippedThemes: String?
        public var monitor: MonitorConfiguration
        /// The command-line connection inputs, to resolve another wash context (`:ctx NAME`).
        public var inputs: ConnectionInputs?
        /// latticetop's settings (per-context read-only).
        public var appSettings = LatticeTopSettings()
        /// Where mutations are logged; nil = `$XDG_STATE_HOME/latticetop/audit.log`.
        public var auditPath: String?
        /// How long to wait for the event that confirms a change.
        public var confirmTimeout: Duration = .seconds(15)
        /// The model's thresholds (when a silent host is stale, and when it is gone).
        public var model = LatticeStateConfiguration()
        /// Seconds between latticetop's own health probes of each provider (0: no probes).
        public var healthProbeInterval: TimeInterval = 30
        /// Estimated bytes time travel may hold (`--time-travel-memory`).
        public var timeTravelBytes = 128 << 20
        /// The debug log (`--log-level`); off by default.
        public var log = AppLog.off
        /// The editor `E` runs (nil: `$VISUAL`, else `$EDITOR`, else `vi`).
        public var editorCommand: String?
        /// Where the UI loop appends its own figures for benchmarks (`LATTICETOP_STATS`,
        /// `DashboardStats`); nil: off.
        public var statsPath: String?

        public init(settings: ConnectionSettings, themeName: String = "default", readOnly: Bool = false,
                    shippedThemes: String? = nil, monitor: MonitorConfiguration = MonitorConfiguration()) {
            self.settings = settings
            self.themeName = themeName
            self.readOnly = readOnly
            self.shippedThemes = shippedThemes
            self.monitor = monitor
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Runs until the user quits, on the terminal (curses), or on `backend` when given (tests
    /// drive the whole app through a scripted terminal).
    public func run(on backend: (any TerminalBackend & Sendable)? = nil) async throws {
        var nats = options.settings.nats
        nats.retryOnFailedConnect = true
        let connection = try await NATSConnection.connect(nats)
        defer { connection.close() }
        let client = LatticeClient(connection: connection, lattice: options.settings.lattice,
                                   ctlTopicPrefix: options.settings.ctlTopicPrefix, timeout: options.settings.timeout)
        let log = options.log.logger("latticetop")
        log.info("dashboard started", metadata: ["lattice": "\(options.settings.lattice)", "servers": "\(options.settings.nats.servers.joined(separator: ","))"])
        defer {
            log.info("dashboard stopped")
            options.log.file?.flush()
        }
        let monitor = LatticeMonitor(client: client, configuration: options.monitor, logger: options.log.logger("latticetop.monitor"))
        try await monitor.start()

        let loader = ThemeLoader(shippedThemesDirectory: options.shippedThemes ?? Self.shippedThemesDirectory())
        let (theme, themeError) = loader.loadOrDefault(named: options.themeName)
        let dashboard = Dashboard(state: LatticeState(configuration: options.model), lattice: options.settings.lattice, server: options.settings.nats.servers.joined(separator: ","),
                                  context: options.settings.contextName)
        let loop = DashboardLoop(
            monitor: monitor,
            options: .init(theme: theme, themeLoader: loader, readOnly: options.readOnly, contextName: options.settings.contextName,
                           lattice: options.settings.lattice, server: options.settings.nats.servers.joined(separator: ","),
                           healthProbeInterval: options.healthProbeInterval, statsPath: options.statsPath,
                           timeTravelBytes: options.timeTravelBytes),
            dashboard: dashboard)
        // Warnings about the connection settings (an invalid default wash context) and the theme
        // also reach the flash line: stderr is hidden behind the dashboard.
        let warnings = options.settings.warnings + (themeError.map { ["\($0) — using the default theme"] } ?? [])
        if !warnings.isEmpty { loop.notify("⚠ " + warnings.joined(separator: " · "), error: true, seconds: 20) }

        let rttTask = Task {
            while !Task.isCancelled {
                let value = await Task.detached { connection.state.isConnected ? connection.rtt() : nil }.value
                loop.inputs.push(.rtt(value.map { Double($0.components.attoseconds) / 1e15 + Double($0.components.seconds) * 1000 }))
                try? await Task.sleep(for: .seconds(3))
            }
        }
        defer { rttTask.cancel() }
        let trimTask = Self.trimHeapPeriodically()
        defer { trimTask?.cancel() }

        // The effect runner: what the UI asks for that needs the network, files, the terminal
        // (`$EDITOR`) or the spy's capture, run off the UI thread; answers go to `loop.inputs`.
        let options = self.options
        let environment = ProcessInfo.processInfo.environment
        let audit = AuditLog(path: options.auditPath ?? AuditLog.defaultPath(environment: environment))
        loop.effects.push(.refreshCompletions)
        let effectsTask = Task {
            var contextName = options.settings.contextName
            var session: SpySession?
            // Snapshots of the session's capture for the loop, and what the UI shows of them.
            var feed: (feed: SpyFeed, task: Task<Void, Never>)?
            var interest = SpyInterest()
            /// The last snapshot revision handed over (revisions keep increasing across captures).
            var spyRevision: UInt64 = 0
            /// Ends the feed; nothing of it reaches the loop afterwards.
            func endFeed() async {
                guard let (old, task) = feed else { return }
                task.cancel()
                await task.value
                spyRevision = max(spyRevision, old.revision)
                feed = nil
            }
            func stopFeed() async {
                await endFeed()
                loop.inputs.push(.spy(nil))
            }
            var client = client
            var monitor = monitor
            var extra: NATSConnection?
            while let effects = await loop.effects.next() {
                for effect in effects {
                    switch effect {
                    case .mutate(let id, let actions):
                        let runner = MutationRunner(client: client, eventTimeout: options.confirmTimeout, audit: audit,
                                                    contextName: contextName, logger: options.log.logger("latticetop.operate"))
                        Task { [monitor] in
                            let outcomes = await runner.run(actions)
                            loop.inputs.push(.outcomes(id: id, outcomes))
                            await monitor.reread(after: outcomes)
                        }
                    case .probeHealth(let ids):
                        // On the connection that carries the lattice's RPC traffic (here the same as ctl's).
                        Task { [client, monitor] in await HealthProber.probe(ids, client: client, into: monitor.inputs) }
                    case .spy(let id):
                        await session?.stop()
                        await endFeed()
                        let scope: SpyScope = id.map { .component($0) } ?? .lattice
                        let next = SpySession(client: client, scope: scope)
                        do {
                            try await next.start()
                            if id != nil { _ = try? await next.refreshLinks() }
                            session = next
                            let nextFeed = SpyFeed(capture: next.capture, scope: id.map { "on \($0)" } ?? "lattice-wide",
                                                   revision: spyRevision, interest: interest)
                            feed = (nextFeed, Task { await Self.run(nextFeed, into: loop) })
                        } catch {
                            session = nil
                            await stopFeed()
                            loop.notify("cannot spy: \(error)", error: true)
                        }
                    case .spyInterest(let live, let message):
                        interest = SpyInterest(live: live, message: message)
                        feed?.feed.interest = interest
                    case .pauseSpy(let paused):
                        if let capture = session?.capture { if paused { capture.pause() } else { capture.resume() } }
                    case .editConfigInEditor(let configSession):
                        // The loop has handed the terminal over; the editor waits on a thread of its own.
                        let editor = options.editorCommand.map { ExternalEditor(command: $0) } ?? ExternalEditor(environment: environment)
                        Task {
                            let result = await editor.editOnOwnThread(configSession.presented, name: configSession.name)
                            loop.inputs.push(.editorReturned(configSession, result))
                        }
                    case .switchLattice(let name):
                        if let problem = ConnectionSettings.invalidToken(name) {
                            loop.notify("invalid lattice name '\(name)': \(problem)", error: true)
                            continue
                        }
                        let next = LatticeClient(connection: client.connection, lattice: name, ctlTopicPrefix: client.subjects.prefix,
                                                 timeout: client.timeout)
                        let nextMonitor = LatticeMonitor(client: next, configuration: options.monitor, logger: options.log.logger("latticetop.monitor"))
                        do { try await nextMonitor.start() } catch {
                            loop.notify("cannot watch lattice \(name): \(error)", error: true)
                            continue
                        }
                        await session?.stop()
                        session = nil
                        await stopFeed()
                        await monitor.stop()
                        client = next
                        monitor = nextMonitor
                        loop.replace(monitor: nextMonitor, with: Dashboard(state: LatticeState(configuration: options.model), lattice: name, server: options.settings.nats.servers.joined(separator: ","),
                                                                      context: options.settings.contextName))
                        loop.notify("watching lattice \(name)")
                    case .switchContext(let name):
                        var inputs = options.inputs ?? ConnectionInputs()
                        inputs.context = name
                        inputs.natsURLs = []
                        inputs.ctlHost = nil
                        inputs.ctlPort = nil
                        inputs.lattice = nil
                        do {
                            let settings = try ConnectionSettings.resolve(inputs, environment: environment,
                                                                          contexts: WashContextStore(environment: environment))
                            var nats = settings.nats
                            nats.retryOnFailedConnect = true
                            let connection = try await NATSConnection.connect(nats)
                            let next = LatticeClient(connection: connection, lattice: settings.lattice,
                                                     ctlTopicPrefix: settings.ctlTopicPrefix, timeout: settings.timeout)
                            let nextMonitor = LatticeMonitor(client: next, configuration: options.monitor, logger: options.log.logger("latticetop.monitor"))
                            try await nextMonitor.start()
                            await session?.stop()
                            session = nil
                            await stopFeed()
                            await monitor.stop()
                            extra?.close()
                            extra = connection
                            client = next
                            monitor = nextMonitor
                            contextName = name
                            loop.inputs.push(.readOnly(options.appSettings.isReadOnly(flag: options.readOnly, context: name,
                                                                                      environment: environment)))
                            loop.replace(monitor: nextMonitor, with: Dashboard(state: LatticeState(configuration: options.model), lattice: settings.lattice,
                                                                          server: settings.nats.servers.joined(separator: ","), context: name))
                            loop.notify("context \(name): lattice \(settings.lattice) on \(settings.nats.servers.joined(separator: ","))"
                                        + settings.warnings.map { " — ⚠ " + $0 }.joined(), error: !settings.warnings.isEmpty)
                        } catch {
                            loop.notify("cannot switch to context \(name): \(error)", error: true)
                        }
                    case .switchTheme(let name):
                        let result = await Task.detached { loader.loadOrDefault(named: name) }.value
                        loop.inputs.push(.themeLoaded(result.0, result.1))
                    case .refreshCompletions:
                        let lists = await Task.detached {
                            ["theme": loader.availableThemeNames(), "ctx": WashContextStore(environment: environment).names()]
                        }.value
                        loop.inputs.push(.completions(lists))
                    case .saveSpy:
                        guard let capture = session?.capture else {
                            loop.notify("the spy is not running", error: true)
                            continue
                        }
                        let directory = FileManager.default.currentDirectoryPath
                        let saved = await Task.detached { () -> Result<(Int, String), any Error> in
                            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
                            let url = URL(fileURLWithPath: directory).appendingPathComponent("latticetop-spy-\(stamp).ndjson")
                            return Result { (try capture.save(to: url), url.path) }
                        }.value
                        switch saved {
                        case .success(let (n, path)): loop.notify("saved \(n) messages to \(path)")
                        case .failure(let error): loop.notify("cannot save the spy buffer: \(error)", error: true)
                        }
                    default:
                        continue
                    }
                }
            }
            await endFeed()
            await session?.stop()
            await monitor.stop()
            extra?.close()
        }
        defer { effectsTask.cancel(); loop.effects.close() }

        let result: Result<Void, any Error> = await withCheckedContinuation { continuation in
            let thread = Thread {
                // The OS thread's name, as `ps -L` and `perf` list it (setting `name` before
                // `start()` does not reach it on Linux).
                Thread.current.name = "latticetop-ui"
                do {
                    if let backend {
                        loop.run(backend: backend)
                    } else {
                        try TerminalSession.run { backend in loop.run(backend: backend) }
                    }
                    continuation.resume(returning: .success(()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        effectsTask.cancel()
        loop.effects.close()
        await monitor.stop()
        try result.get()
    }

    /// The spy feed's loop: every `SpyFeed.interval`, a snapshot for the UI loop when one is due
    /// (the capture changed, and the loop took the last one), until cancelled.
    static func run(_ feed: SpyFeed, into loop: DashboardLoop) async {
        while !Task.isCancelled {
            if let data = feed.next(now: Date(), taken: loop.spyTaken.load(ordering: .acquiring)) {
                loop.inputs.push(.spy(data))
            }
            try? await Task.sleep(for: SpyFeed.interval)
        }
    }

    /// How often the dashboard hands freed heap pages back to the kernel; 0 (or
    /// `LATTICETOP_HEAP_TRIM_INTERVAL=0`) never. On a large lattice the model's records and the
    /// decoded inputs are replaced all the time (every heartbeat); glibc keeps the freed pages in
    /// the middle of its heaps, and without this RSS climbs far above the heap in use
    /// (Benchmarks/README.md, "Memory at scale").
    static let heapTrimInterval: Double = ProcessInfo.processInfo.environment["LATTICETOP_HEAP_TRIM_INTERVAL"].flatMap(Double.init) ?? 5

    /// Trims the heap every `heapTrimInterval` seconds, off the UI thread.
    static func trimHeapPeriodically() -> Task<Void, Never>? {
        guard heapTrimInterval > 0 else { return nil }
        return Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(heapTrimInterval))
                HeapTrimmer.trimNow()
            }
        }
    }

    /// `Themes/` next to the executable's package checkout, when it can be found.
    static func shippedThemesDirectory() -> String? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = dir.appendingPathComponent("Themes")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("default.yaml").path) { return candidate.path }
            dir.deleteLastPathComponent()
        }
        return nil
    }
}
