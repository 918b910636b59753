import ArgumentParser
import Foundation
import LatticeClient
import LatticeMonitor
import LatticeProtocol
import LatticeState

/// `latticetop get …`: one-shot queries for scripts and CI.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print lattice state once (hosts, inventory, components, providers, links, config, apps).",
        subcommands: [Hosts.self, Inventory.self, Components.self, Providers.self, Links.self, Config.self, Apps.self]
    )

    struct Common: ParsableArguments {
        @OptionGroup var connection: ConnectionOptions
        @Option(name: [.customShort("o"), .long],
                help: "Output format: table, json (wire field names) or jsonl (one object a line; hosts and inventories as they answer).")
        var output: OutputFormat = .table
    }

    /// Connects, runs `body` with a client, and turns client errors into one line and exit 1.
    static func run(_ common: Common, _ body: (LatticeClient) async throws(LatticeClientError) -> Void) async throws {
        let settings: ConnectionSettings
        do { settings = try common.connection.settings() } catch { throw CommandSupport.fail("\(error)") }
        let connection = try await CommandSupport.connect(settings)
        defer { connection.close() }
        do {
            try await body(CommandSupport.client(connection, settings))
        } catch {
            throw CommandSupport.fail(error.description)
        }
        try CommandSupport.finishOutput()
    }

    /// Every host's inventory (ping, then `host.get` each, concurrently); per-host failures are warnings.
    static func allInventories(_ client: LatticeClient) async throws(LatticeClientError) -> [HostInventory] {
        var out: [HostInventory] = []
        for await r in try client.inventories() {
            switch r {
            case .success(let inv): out.append(inv)
            case .failure(let e): CommandSupport.warn(e.description)
            }
        }
        return out.sorted { $0.hostID < $1.hostID }
    }

    /// `-o jsonl` of a per-host stream: a line per host as its reply arrives, a warning per
    /// failed reply, and one when no host answered; stops quietly when the reader goes away.
    static func printJSONLines<T: Encodable & Sendable>(_ replies: AsyncStream<Result<T, LatticeClientError>>, lattice: String) async {
        var listed = 0
        for await reply in replies {
            switch reply {
            case .success(let value):
                listed += 1
                guard (try? CommandSupport.printJSONLine(value)) == true else { return }
            case .failure(let e): CommandSupport.warn(e.description)
            }
        }
        if listed == 0 { CommandSupport.warn("no hosts answered on lattice \(lattice)") }
    }

    /// `-o jsonl` of every host's inventory (`hostSync`): a line per inventory as its batch
    /// arrives, a warning per failed reply, and one when no host answered; stops quietly when the
    /// reader goes away. A batch's lines go out in one write, each written directly
    /// (`HostInventory.wireText`) unless it needs `JSONEncoder`.
    static func printInventoryLines(_ batches: AsyncStream<[HostSyncEvent]>, lattice: String) async {
        var listed = 0
        for await batch in batches {
            var lines = ""
            for event in batch {
                switch event {
                case .pinged: break
                case .inventory(let inventory):
                    listed += 1
                    guard let text = inventory.wireText ?? (try? WireJSON.encode(inventory)).map({ String(decoding: $0, as: UTF8.self) })
                    else { continue }
                    lines += SafeText.sanitize(text) + "\n"
                case .pingFailed(let e), .inventoryFailed(_, let e): CommandSupport.warn(e.description)
                }
            }
            guard lines.isEmpty || CommandSupport.printText(lines) else { return }
        }
        if listed == 0 { CommandSupport.warn("no hosts answered on lattice \(lattice)") }
    }

    static func userLabels(_ labels: [String: String]) -> String {
        labels.filter { !$0.key.hasPrefix("hostcore.") }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: ",")
    }

    static func managedBy(_ annotations: [String: String]?) -> String {
        guard let a = annotations, a["wasmcloud.dev/managed-by"] == "wadm" else { return "" }
        return a["wasmcloud.dev/appspec"] ?? "wadm"
    }

    struct Hosts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hosts that answer host.ping.")
        @OptionGroup var common: Common

        func run() async throws {
            try await GetCommand.run(common) { client throws(LatticeClientError) in
                if common.output == .jsonl {
                    // Each host as its ping reply arrives.
                    await GetCommand.printJSONLines(try client.pingHosts(), lattice: client.lattice)
                    return
                }
                let (hosts, errors) = try await client.hosts()
                errors.forEach { CommandSupport.warn($0.description) }
                if common.output == .json { try? CommandSupport.printJSON(hosts); return }
                var table = TextTable(headers: ["HOST ID", "FRIENDLY NAME", "VERSION", "UPTIME", "LABELS"])
                for h in hosts {
                    table.rows.append([h.id, h.friendlyName, h.version ?? "", h.uptimeHuman ?? "\(h.uptimeSeconds)s",
                                       GetCommand.userLabels(h.labels)])
                }
                CommandSupport.printText(table.render())
                if hosts.isEmpty { CommandSupport.warn("no hosts answered on lattice \(client.lattice)") }
            }
        }
    }

    struct Inventory: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Components and providers per host.")
        @OptionGroup var common: Common
        @Argument(help: "Only this host.") var hostID: String?

        func run() async throws {
            try await GetCommand.run(common) { client throws(LatticeClientError) in
                if common.output == .jsonl {
                    if let hostID {
                        _ = try? CommandSupport.printJSONLine(try await client.inventoryAskingAgainAfterTimeout(hostID: hostID))
                        return
                    }
                    // Each inventory as its host.get reply arrives (while the ping window is open).
                    await GetCommand.printInventoryLines(try client.hostSync(), lattice: client.lattice)
                    return
                }
                let inventories: [HostInventory]
                if let hostID { inventories = [try await client.inventoryAskingAgainAfterTimeout(hostID: hostID)] } else {
                    inventories = try await GetCommand.allInventories(client)
                }
                if common.output == .json {
                    if hostID != nil, let one = inventories.first { try? CommandSupport.printJSON(one) } else {
                        try? CommandSupport.printJSON(inventories)
                    }
                    return
                }
                var text = ""
                for inv in inventories {
                    text += "Host \(inv.hostID) (\(inv.friendlyName), \(inv.version), up \(inv.uptimeHuman))\n"
                    let labels = GetCommand.userLabels(inv.labels)
                    if !labels.isEmpty { text += "  labels: \(labels)\n" }
                    var table = TextTable(headers: ["  KIND", "ID", "NAME", "IMAGE", "MAX", "APP"])
                    for c in inv.components {
                        table.rows.append(["  component", c.id, c.name ?? "", c.imageRef, String(c.maxInstances),
                                           GetCommand.managedBy(c.annotations)])
                    }
                    for p in inv.providers {
                        table.rows.append(["  provider", p.id, p.name ?? "", p.imageRef ?? "", "", GetCommand.managedBy(p.annotations)])
                    }
                    text += (table.rows.isEmpty ? "  (nothing running)\n" : table.render()) + "\n"
                }
                CommandSupport.printText(text)
                if inventories.isEmpty { CommandSupport.warn("no hosts answered on lattice \(client.lattice)") }
            }
        }
    }

    struct Components: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every component in the lattice, from all inventories.")
        @OptionGroup var common: Common

        func run() async throws {
            try await GetCommand.run(common) { client throws(LatticeClientError) in
                let rows = try await GetCommand.allInventories(client).flatMap { inv in
                    inv.components.map { Hosted(hostID: inv.hostID, item: $0) }
                }.sorted { ($0.item.id, $0.hostID) < ($1.item.id, $1.hostID) }
                if common.output == .json { try? CommandSupport.printJSON(rows); return }
                if common.output == .jsonl { try? CommandSupport.printJSONLines(rows); return }
                var table = TextTable(headers: ["ID", "NAME", "IMAGE", "HOST", "MAX", "APP"])
                for r in rows {
                    table.rows.append([r.item.id, r.item.name ?? "", r.item.imageRef, r.hostID, String(r.item.maxInstances),
                                       GetCommand.managedBy(r.item.annotations)])
                }
                CommandSupport.printText(table.render())
            }
        }
    }

    struct Providers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every capability provider in the lattice, from all inventories, with its health.",
            discussion: """
                Health comes from asking each running binary provider (wasmbus.rpc.LATTICE.ID.health, \
                waiting --timeout): healthy, unhealthy (with the provider's message), not answering, \
                no health endpoint; unknown for builtin providers (never probed) or with --no-health.
                """)
        @OptionGroup var common: Common
        @Flag(help: "Do not probe the providers' health (health is unknown).") var noHealth = false

        func run() async throws {
            try await GetCommand.run(common) { client throws(LatticeClientError) in
                let hosted = try await GetCommand.allInventories(client).flatMap { inv in
                    inv.providers.map { Hosted(hostID: inv.hostID, item: $0) }
                }.sorted { ($0.item.id, $0.hostID) < ($1.item.id, $1.hostID) }
                let probed = noHealth ? [:] : await ProviderHealthRow.probe(hosted, client: client)
                let rows = hosted.map { ProviderHealthRow(hosted: $0, outcome: probed[$0.item.id]) }
                if common.output == .json { try? CommandSupport.printJSON(rows); return }
                if common.output == .jsonl { try? CommandSupport.printJSONLines(rows); return }
                var table = TextTable(headers: ["ID", "NAME", "IMAGE", "HOST", "APP", "HEALTH"])
                for r in rows {
                    table.rows.append([r.hosted.item.id, r.hosted.item.name ?? "", r.hosted.item.imageRef ?? "", r.hosted.hostID,
                                       GetCommand.managedBy(r.hosted.item.annotations),
                                       r.health + (r.healthMessage.map { ": \($0)" } ?? "")])
                }
                CommandSupport.printText(table.render())
            }
        }
    }

    struct Links: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every link (link.get).")
        @OptionGroup var common: Common

        func run() async throws {
            try await GetCommand.run(common) { client throws(LatticeClientError) in
                let links = try await client.links()
                if common.output == .json { try? CommandSupport.printJSON(links); return }
                if common.output == .jsonl { try? CommandSupport.printJSONLines(links); return }
                var table = TextTable(headers: ["SOURCE", "TARGET", "NAME", "WIT", "SOURCE CONFIG", "TARGET CONFIG"])
                for l in links {
                    table.rows.append([l.sourceID, l.target, l.name,
                                       "\(l.witNamespace):\(l.witPackage)/\(l.interfaces.joined(separator: ","))",
                                       l.sourceConfig.joined(separator: ","), l.targetConfig.joined(separator: ",")])
                }
                CommandSupport.printText(table.render())
            }
        }
    }

    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One named config (config.get).")
        @OptionGroup var common: Common
        @Argument(help: "The config's name.") var name: String

        func run() async throws {
            try await GetCommand.run(common) { client throws(LatticeClientError) in
                guard let values = try await client.config(name: name) else {
                    throw .refused(subject: client.subjects.configGet(name: name), message: "config \(name) not found")
                }
                if common.output == .json { try? CommandSupport.printJSON(values); return }
                if common.output == .jsonl { _ = try? CommandSupport.printJSONLine(values); return }
                var table = TextTable(headers: ["KEY", "VALUE"])
                table.rows = values.sorted { $0.key < $1.key }.map { [$0.key, $0.value] }
                CommandSupport.printText(table.render())
            }
        }
    }

    struct Apps: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "wadm applications (model.get).")
        @OptionGroup var common: Common

        func run() async throws {
            try await GetCommand.run(common) { client throws(LatticeClientError) in
                let apps: [ModelSummary]
                do throws(LatticeClientError) {
                    apps = try await client.applications()
                } catch {
                    guard case .noResponders(let subject) = error else { throw error }
                    throw .noResponders(subject: subject + " (is wadm running on lattice \(client.lattice)?)")
                }
                if common.output == .json { try? CommandSupport.printJSON(apps); return }
                if common.output == .jsonl { try? CommandSupport.printJSONLines(apps); return }
                var table = TextTable(headers: ["NAME", "VERSION", "DEPLOYED", "STATUS", "DESCRIPTION"])
                for a in apps.sorted(by: { $0.name < $1.name }) {
                    table.rows.append([a.name, a.version, a.deployedVersion ?? "", a.effectiveStatus.wireValue, a.description ?? ""])
                }
                CommandSupport.printText(table.render())
            }
        }
    }
}
