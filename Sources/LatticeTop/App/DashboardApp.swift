import Foundation
import LatticeClient
import LatticeMonitor
import LatticeSpy
import LatticeState
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

    public func run() async throws {
        var nats = options.settings.nats
        nats.retryOnFailedConnect = true
        let connection = try await NATSConnection.connect(nats)
        defer { connection.close() }
        let client = LatticeClient(connection: connection, lattice: options.settings.lattice,
                                   ctlTopicPrefix: options.settings.ctlTopicPrefix, timeout: options.settings.timeout)
        let monitor = LatticeMonitor(client: client, configuration: options.monitor)
        try await monitor.start()

        let loader = ThemeLoader(shippedThemesDirectory: options.shippedThemes ?? Self.shippedThemesDirectory())
        let (theme, themeError) = loader.loadOrDefault(named: options.themeName)
        let dashboard = Dashboard(lattice: options.settings.lattice, server: options.settings.nats.servers.joined(separator: ","),
                                  context: options.settings.contextName)
        let loop = DashboardLoop(
            monitor: monitor,
            options: .init(theme: theme, themeLoader: loader, readOnly: options.readOnly, contextName: options.settings.contextName,
                           lattice: options.settings.lattice, server: options.settings.nats.servers.joined(separator: ",")),
            dashboard: dashboard)
        if let themeError { loop.flashAtStart("\(themeError) — using the default theme", error: true) }

        let rttTask = Task {
            while !Task.isCancelled {
                let value = await Task.detached { connection.state.isConnected ? connection.rtt() : nil }.value
                loop.rtt.withLock { $0 = value.map { Double($0.components.attoseconds) / 1e15 + Double($0.components.seconds) * 1000 } }
                try? await Task.sleep(for: .seconds(3))
            }
        }
        defer { rttTask.cancel() }

        // Effects the UI asks for that need the network: the spy.
        let effectsTask = Task {
            var session: SpySession?
            while let effects = await loop.effects.next() {
                for effect in effects {
                    guard case .spy(let id) = effect else { continue }
                    await session?.stop()
                    let scope: SpyScope = id.map { .component($0) } ?? .lattice
                    let next = SpySession(client: client, scope: scope)
                    do {
                        try await next.start()
                        if id != nil { _ = try? await next.refreshLinks() }
                        session = next
                        loop.spy.withLock { $0 = (next.capture, id.map { "on \($0)" } ?? "lattice-wide") }
                    } catch {
                        loop.spy.withLock { $0 = nil }
                    }
                }
            }
            await session?.stop()
        }
        defer { effectsTask.cancel(); loop.effects.close() }

        let result: Result<Void, any Error> = await withCheckedContinuation { continuation in
            let thread = Thread {
                do {
                    try TerminalSession.run { backend in loop.run(backend: backend) }
                    continuation.resume(returning: .success(()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.name = "latticetop-ui"
            thread.stackSize = 8 << 20
            thread.start()
        }
        await monitor.stop()
        try result.get()
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
