import ArgumentParser
import EmbeddedNATS
import Foundation
import LatticeClient
import LatticeProtocol
import LatticeSim
import NATSKit

/// `latticetop demo`: an embedded nats-server and a simulated lattice, then the dashboard.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start an embedded nats-server with a simulated lattice (with scripted faults) and show it."
    )

    @Option(help: "Number of simulated hosts.") var hosts: Int = 3
    @Flag(help: "Show the inventory once and exit instead of running until interrupted.") var once = false
    @Flag(help: "No dashboard: print the inventory and keep the lattice running until Ctrl-C.") var headless = false
    @OptionGroup var ui: DashboardOptions

    func run() async throws {
        let server: NATSServerProcess
        do { server = try NATSServerProcess(.init(jetStream: true)) } catch { throw CommandSupport.fail("\(error)") }
        defer { server.stop() }
        let settings = ConnectionSettings(nats: NATSConnectionOptions(servers: [server.url]), lattice: "default")
        // The simulated hosts subscribe four subjects each: deliver from cnats' shared threads.
        var simSettings = settings
        simSettings.nats.globalMessageDelivery = true
        let nats = try await CommandSupport.connect(simSettings)
        var config = SimulatorConfiguration(hosts: hosts, heartbeatInterval: .seconds(5), healthCheckInterval: .seconds(5),
                                            firstHealthCheckDelay: .seconds(1), invocationsPerSecond: 10,
                                            faults: Set(SimulatedFault.allCases), faultDelay: .seconds(30))
        config.lattice = settings.lattice
        let simulator = LatticeSimulator(connection: nats, configuration: config)
        do { try await simulator.start() } catch { throw CommandSupport.fail("cannot start the simulator: \(error)") }

        if !once && !headless && isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1 {
            defer { nats.close() }
            do {
                try await DashboardApp(options: ui.appOptions(settings)).run()
            } catch {
                await simulator.stop()
                throw CommandSupport.fail("\(error)")
            }
            await simulator.stop()
            return
        }
        let client = CommandSupport.client(nats, settings)
        var text = "Demo lattice '\(settings.lattice)' on \(server.url) (embedded nats-server, \(hosts) simulated wasmCloud \(config.version) hosts)\n\n"
        do {
            for await r in try client.inventories() {
                guard case .success(let inv) = r else { continue }
                text += "Host \(inv.hostID) \(inv.friendlyName)\n"
                for c in inv.components { text += "  component  \(c.id)  \(c.imageRef)  max \(c.maxInstances)\n" }
                for p in inv.providers { text += "  provider   \(p.id)  \(p.imageRef ?? "")\n" }
            }
        } catch {
            throw CommandSupport.fail(error.description)
        }
        CommandSupport.printText(text + "\n")
        if once {
            await simulator.stop()
            nats.close()
            try CommandSupport.finishOutput()
            return
        }
        CommandSupport.printText("""
            The lattice keeps running (heartbeats, health checks, wRPC traffic; faults strike after 30 s).
            From another terminal:  latticetop get inventory --nats-url \(server.url)
            Press Ctrl-C to stop.

            """)
        await CommandSupport.waitForTermination()
        await simulator.stop()
        nats.close()
        try CommandSupport.finishOutput()
    }
}
