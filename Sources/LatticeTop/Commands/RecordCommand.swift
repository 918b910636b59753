import ArgumentParser
import Foundation
import LatticeClient
import NATSKit

/// `latticetop record`: the flight recorder, a JetStream stream the server keeps.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Create or update the lattice's flight recorder (a JetStream stream of its events), show it, or delete it.",
        discussion: """
            The stream LATTICETOP_EVENTS_<lattice> records wasmbus.evt.<lattice>.> (and wadm.evt.<lattice>.> \
            when wadm runs); the NATS server keeps it, nothing else has to run. Where wadm already keeps a \
            stream on those subjects (wasmbus_events), the recorder copies from it instead. Run it again to \
            change the limits. Needs JetStream (nats-server -js); uses WASMCLOUD_JS_DOMAIN or --js-domain.
            """)

    @OptionGroup var connection: ConnectionOptions
    @Option(help: ArgumentHelp("Keep events this long (24h, 90m, 7d; 0 = no limit).", valueName: "duration"))
    var maxAge = "24h"
    @Option(help: ArgumentHelp("Keep at most this much (256MiB, 1GiB; -1 = no limit); the oldest go first.", valueName: "size"))
    var maxBytes = "256MiB"
    @Option(help: "Replicas on a JetStream cluster (1–5).") var replicas = 1
    @Option(help: ArgumentHelp("JetStream domain (default $WASMCLOUD_JS_DOMAIN or the wash context's).", valueName: "domain"))
    var jsDomain: String?
    @Flag(help: "Show the recorder: messages, bytes, first and last event time.") var status = false
    @Flag(help: "Delete the recorder and everything it holds (asks first).") var delete = false
    @Flag(name: [.customShort("y"), .long], help: "Delete without asking (scripts).") var yes = false

    func validate() throws {
        if status && delete { throw ValidationError("--status and --delete do not go together") }
        if RecorderStream.parseDuration(maxAge) == nil { throw ValidationError("--max-age takes a duration like 24h, 90m or 7d, not '\(maxAge)'") }
        if RecorderStream.parseBytes(maxBytes) == nil { throw ValidationError("--max-bytes takes a size like 256MiB or 1GiB, not '\(maxBytes)'") }
        if !(1...5).contains(replicas) { throw ValidationError("--replicas must be 1 to 5") }
    }

    func run() async throws {
        let settings: ConnectionSettings
        do { settings = try connection.settings() } catch { throw CommandSupport.fail("\(error)") }
        let nats = try await CommandSupport.connect(settings)
        defer { nats.close() }
        let recorder = RecorderStream(lattice: settings.lattice)
        let domain = jsDomain ?? settings.jsDomain
        do {
            let streams = try NATSStreams(nats, domain: domain, timeout: max(settings.timeout, .seconds(5)))
            if status {
                guard let info = try await streams.info(recorder.name) else { throw CommandSupport.fail(Self.noRecorder(recorder)) }
                CommandSupport.printText(Self.describe(info, domain: domain))
            } else if delete {
                guard let info = try await streams.info(recorder.name) else { throw CommandSupport.fail(Self.noRecorder(recorder)) }
                guard try confirmDelete(info) else { throw CommandSupport.fail("not deleted") }
                try await streams.delete(recorder.name)
                CommandSupport.printText("deleted stream \(recorder.name) (\(info.messages) events, \(RecorderStream.formatBytes(Int64(info.bytes))))\n")
            } else {
                let client = CommandSupport.client(nats, settings)
                var existing: [String: [String]] = [:]
                for name in RecorderStream.wadmStreams {
                    if let info = try await streams.info(name) { existing[name] = info.configuration.subjects }
                }
                let wadm = await Self.wadmRuns(client) || existing["wadm_events"] != nil
                let config = recorder.configuration(includeWadm: wadm, existing: existing,
                                                    maxAge: RecorderStream.parseDuration(maxAge)!, maxBytes: RecorderStream.parseBytes(maxBytes)!,
                                                    replicas: replicas)
                let (info, created) = try await streams.createOrUpdate(config)
                var text = "\(created ? "created" : "updated") stream \(recorder.name)\n" + Self.describe(info, domain: domain)
                if !wadm { text += "  (wadm does not answer on lattice \(settings.lattice): wadm.evt is not recorded; run again once it does)\n" }
                CommandSupport.printText(text)
            }
        } catch let error as NATSError {
            throw CommandSupport.fail(Self.explain(error))
        }
        try CommandSupport.finishOutput()
    }

    static func noRecorder(_ recorder: RecorderStream) -> String {
        "no flight recorder on lattice \(recorder.lattice) (stream \(recorder.name) does not exist); start one with `latticetop record`"
    }

    /// A JetStream failure in words a user can act on.
    static func explain(_ error: NATSError) -> String {
        switch error {
        case .noResponders, .timeout:
            return "JetStream does not answer (\(error.description)): is it enabled on the server (nats-server -js), and is the domain right?"
        default:
            return error.description
        }
    }

    /// Asks on the terminal unless `--yes`; refuses without a terminal.
    private func confirmDelete(_ info: NATSStreamInfo) throws -> Bool {
        if yes { return true }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CommandSupport.fail("refusing to delete \(info.configuration.name) without a terminal to confirm on; add --yes")
        }
        CommandSupport.note("delete stream \(info.configuration.name) and its \(info.messages) recorded events? [y/N] ")
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "y" || answer == "yes"
    }

    private static func wadmRuns(_ client: LatticeClient) async -> Bool {
        do throws(LatticeClientError) {
            _ = try await client.applications()
            return true
        } catch {
            // Any answer but "nobody listens" means wadm is there.
            if case .noResponders = error { return false }
            if case .timeout = error { return false }
            return true
        }
    }

    /// The stream as `record` and `record --status` print it.
    static func describe(_ info: NATSStreamInfo, domain: String?) -> String {
        let c = info.configuration
        let time = { (d: Date?) in d.map { ISO8601DateFormatter().string(from: $0) } ?? "-" }
        var recorded = c.subjects
        recorded += c.sources.map { "\($0.filterSubject ?? "all") (copied from stream \($0.stream))" }
        var lines = [
            "  stream     \(c.name)" + (domain.map { " (JetStream domain \($0))" } ?? ""),
            "  records    \(recorded.joined(separator: ", "))",
            "  limits     max age \(RecorderStream.formatDuration(c.maxAge)), max bytes \(RecorderStream.formatBytes(c.maxBytes)), replicas \(c.replicas)",
            "  messages   \(info.messages)",
            "  bytes      \(RecorderStream.formatBytes(Int64(info.bytes)))",
            "  first      \(time(info.firstTime))",
            "  last       \(time(info.lastTime))",
        ]
        if let cluster = info.cluster { lines.append("  cluster    \(cluster)" + (info.leader.map { ", leader \($0)" } ?? "")) }
        return lines.joined(separator: "\n") + "\n"
    }
}
