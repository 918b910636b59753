import ArgumentParser
import Foundation
import LatticeSim

/// `latticetop sim`: a simulated wasmCloud 1.x lattice on a real NATS server.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run simulated wasmCloud 1.x hosts on a NATS server until interrupted."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var sim: SimulatorOptions
    @Option(help: "Split --hosts over this many child processes, for more load than one core carries (this process starts, watches and stops them).")
    var processes: Int = 1
    @Option(help: "Derive host IDs and names from this number instead of at random (the same seed gives the same hosts).")
    var hostSeed: UInt64?
    @Option(help: ArgumentHelp("The lattice-wide index of the first host (set by --processes for its children).", visibility: .private))
    var firstHost: Int = 0
    @Flag(help: ArgumentHelp("Hosts only: no faults, traffic, links, config or wadm, and of a workload only --scale's components and providers on these hosts (--processes' other children).",
                             visibility: .private))
    var hostsOnly = false
    @Option(help: ArgumentHelp("The lattice's host count when this process holds --first-host … of it (set by --processes): --scale is placed as on one simulator of that many hosts.",
                               visibility: .private))
    var latticeHosts: Int?
    @Option(help: ArgumentHelp("Stop when this process is no longer the parent (set by --processes).", visibility: .private))
    var parentPid: Int32?

    func validate() throws {
        if processes < 1 { throw ValidationError("--processes must be 1 or more") }
        if processes > max(1, sim.hosts) { throw ValidationError("--processes (\(processes)) cannot exceed --hosts (\(sim.hosts))") }
        if firstHost < 0 { throw ValidationError("--first-host must be 0 or more") }
        if let latticeHosts, latticeHosts < firstHost + sim.hosts {
            throw ValidationError("--lattice-hosts (\(latticeHosts)) must cover --first-host + --hosts (\(firstHost + sim.hosts))")
        }
    }

    func run() async throws {
        let settings: ConnectionSettings
        do { settings = try connection.settings() } catch { throw CommandSupport.fail("\(error)") }
        if processes > 1 {
            let status = await SimSupervisor(hosts: sim.hosts, processes: processes, seed: hostSeed ?? UInt64.random(in: .min ... .max),
                                             lattice: settings.lattice, servers: settings.nats.servers).run()
            try CommandSupport.finishOutput()
            if status != 0 { throw ExitCode(status) }
            return
        }
        if let parentPid { SimSupervisor.stopWhenOrphaned(parent: parentPid) }
        // Four subscriptions a host: cnats must deliver them from its shared threads, not one thread each.
        var nats = settings
        nats.nats.globalMessageDelivery = true
        let connection = try await CommandSupport.connect(nats, retry: true)
        var configuration = sim.configuration(lattice: settings.lattice, prefix: settings.ctlTopicPrefix)
        configuration.hostSeed = hostSeed
        configuration.firstHostIndex = firstHost
        configuration.latticeHosts = latticeHosts
        configuration.scale = try? sim.scaleWorkload(latticeHosts: latticeHosts)
        if hostsOnly {
            // The scale workload's share of these hosts stays: its items are placed lattice-wide.
            configuration.workload = configuration.workload && configuration.scale != nil
            configuration.faults = []
            configuration.invocationsPerSecond = 0
            configuration.answersLatticeWide = false
        }
        let simulator = LatticeSimulator(connection: connection, configuration: configuration)
        do { try await simulator.start() } catch { throw CommandSupport.fail("cannot start the simulator: \(error)") }
        let ids = await simulator.hostIDs
        var banner = "simulating \(ids.count) host(s) on lattice \(settings.lattice) at \(settings.nats.servers.joined(separator: ","))\n"
        for id in ids { banner += "  host \(id)\n" }
        CommandSupport.printText(banner)
        await CommandSupport.waitForTermination()
        await simulator.stop()
        connection.close()
        try CommandSupport.finishOutput()
    }
}

/// The simulator's knobs, shared by `sim` and `demo`.
struct SimulatorOptions: ParsableArguments {
    @Option(help: "Number of simulated hosts.") var hosts: Int = 3
    @Option(help: "Seconds between host heartbeats (1.x default 30).") var heartbeatInterval: Double = 30
    @Option(help: "Seconds between provider health checks (1.x default 30).") var healthInterval: Double = 30
    @Option(help: "wRPC invocations per second across all links (0 = none).") var rate: Double = 5
    @Option(help: ArgumentHelp("Scripted fault: \(SimulatedFault.allCases.map(\.rawValue).joined(separator: ", ")), or all (repeatable).",
                               valueName: "fault"))
    var fault: [String] = []
    @Option(help: "Seconds after start when the faults strike.") var faultDelay: Double = 20
    @Flag(help: "Start with no workload (hosts only).") var empty = false
    @Option(help: ArgumentHelp("A generated workload instead of the demo's: COMPONENTS,PROVIDERS,LINKS (e.g. 10000,2000,20000), or 'per-host' for 10, 2 and 20 a host.",
                               valueName: "spec"))
    var scale: String?
    @Flag(help: "Do not answer wadm's model API.") var noWadm = false
    @Option(help: "The wadm version answered as (below 0.15, model.get cannot list: clients must use model.list).")
    var wadmVersion: String = "0.21.1"
    @Flag(help: "Turn on the hosts' experimental builtin providers (off, a start of wasmcloud+builtin://http-server or messaging-nats gets no reply).")
    var builtinProviders = false
    @Option(help: ArgumentHelp("How a provider answers health probes: ID=healthy|unhealthy[:MESSAGE]|silent|none (silent: never answers; none: no health endpoint) (repeatable).",
                               valueName: "id=answer"))
    var healthAnswer: [String] = []
    @Flag(help: "Put escape sequences, bidi overrides and zero-width characters in names, labels, config and payloads (terminal-safety testing).")
    var hostile = false

    func validate() throws {
        if hosts < 0 { throw ValidationError("--hosts must be 0 or more") }
        if heartbeatInterval <= 0 || healthInterval <= 0 { throw ValidationError("intervals must be positive") }
        if !wadmVersion.split(separator: ".").allSatisfy({ Int($0) != nil }) || wadmVersion.isEmpty {
            throw ValidationError("--wadm-version takes a version like 0.14.0, not '\(wadmVersion)'")
        }
        _ = try faults()
        _ = try scaleWorkload()
        _ = try healthAnswers()
    }

    /// `--health-answer`, parsed.
    func healthAnswers() throws -> [String: SimulatedHealthAnswer] {
        var out: [String: SimulatedHealthAnswer] = [:]
        for spec in healthAnswer {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let answer = SimulatedHealthAnswer(argument: parts[1]) else {
                throw ValidationError("--health-answer takes ID=healthy|unhealthy[:MESSAGE]|silent|none, not '\(spec)'")
            }
            out[parts[0]] = answer
        }
        return out
    }

    func faults() throws -> Set<SimulatedFault> {
        var out = Set<SimulatedFault>()
        for f in fault {
            if f == "all" { out.formUnion(SimulatedFault.allCases); continue }
            guard let v = SimulatedFault(rawValue: f) else {
                throw ValidationError("unknown fault '\(f)'; one of \(SimulatedFault.allCases.map(\.rawValue).joined(separator: ", ")), all")
            }
            out.insert(v)
        }
        return out
    }

    func configuration(lattice: String, prefix: String) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration(
            lattice: lattice, ctlTopicPrefix: prefix, hosts: hosts, workload: !empty,
            heartbeatInterval: .seconds(heartbeatInterval), healthCheckInterval: .seconds(healthInterval),
            firstHealthCheckDelay: .seconds(min(5, healthInterval)), invocationsPerSecond: rate,
            faults: (try? faults()) ?? [], faultDelay: .seconds(faultDelay), builtinProviders: builtinProviders, wadm: !noWadm,
            wadmVersion: wadmVersion, hostile: hostile,
            scale: try? scaleWorkload())
        configuration.healthAnswers = (try? healthAnswers()) ?? [:]
        return configuration
    }

    /// `--scale`, parsed (nil when not given).
    func scaleWorkload(latticeHosts: Int? = nil) throws -> ScaleWorkload? {
        guard let scale else { return nil }
        if scale == "per-host" { return .perHost(latticeHosts ?? hosts) }
        let parts = scale.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let c = parts[0], let p = parts[1], let l = parts[2], c >= 0, p >= 0, l >= 0 else {
            throw ValidationError("--scale takes COMPONENTS,PROVIDERS,LINKS (three counts) or per-host, not '\(scale)'")
        }
        return ScaleWorkload(components: c, providers: p, links: l)
    }
}
