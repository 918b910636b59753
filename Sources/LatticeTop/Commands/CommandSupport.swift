import ArgumentParser
import Foundation
import LatticeClient
import LatticeProtocol
import NATSKit

/// Shared plumbing for commands: connecting, printing, failing with one clear line.
enum CommandSupport {
    /// Connects with the resolved settings; a failure is one line on stderr and exit code 1.
    static func connect(_ settings: ConnectionSettings, retry: Bool = false) async throws -> NATSConnection {
        var options = settings.nats
        options.retryOnFailedConnect = retry
        do {
            return try await NATSConnection.connect(options)
        } catch {
            throw fail(error.description)
        }
    }

    static func client(_ connection: NATSConnection, _ settings: ConnectionSettings) -> LatticeClient {
        LatticeClient(connection: connection, lattice: settings.lattice, ctlTopicPrefix: settings.ctlTopicPrefix,
                      timeout: settings.timeout)
    }

    /// Prints `latticetop: error: …` and returns the exit code to throw.
    static func fail(_ message: String) -> ExitCode {
        StandardOutput.err.write("latticetop: error: \(SafeText.sanitize(message))\n")
        return ExitCode(1)
    }

    static func warn(_ message: String) {
        StandardOutput.err.write("latticetop: warning: \(SafeText.sanitize(message))\n")
    }

    /// A line on stderr for the human watching (what is watched, drops, totals); stdout stays data.
    static func note(_ message: String) {
        StandardOutput.err.write(SafeText.sanitize(message) + "\n")
    }

    /// Pretty wire JSON and a newline on stdout. A reader that went away is not an error.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = WireJSON.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        var data = try encoder.encode(value)
        data.append(0x0A)
        data.withUnsafeBytes { _ = StandardOutput.out.write($0) }
    }

    /// One compact JSON line on stdout (`-o jsonl`), sanitised as `events -o jsonl` is (JSONEncoder
    /// escapes only C0 controls); false once stdout is closed.
    @discardableResult
    static func printJSONLine<T: Encodable>(_ value: T) throws -> Bool {
        let data = try WireJSON.makeEncoder().encode(value)
        return StandardOutput.out.write(SafeText.sanitize(String(decoding: data, as: UTF8.self)) + "\n")
    }

    /// One compact JSON line a row (`-o jsonl` of a command that has them all at once).
    static func printJSONLines<T: Encodable>(_ rows: [T]) throws {
        for row in rows where !(try printJSONLine(row)) { return }
    }

    /// Text on stdout; false once stdout is closed (its reader went away): stop producing.
    @discardableResult
    static func printText(_ text: String) -> Bool {
        StandardOutput.out.write(text)
    }

    /// Whether stdout still takes output.
    static var outputIsOpen: Bool { StandardOutput.out.failure == nil }

    /// Waits until SIGINT or SIGTERM arrives or stdout's reader goes away.
    @discardableResult
    static func waitForTermination() async -> StopRequest.Reason {
        await StopRequest.shared.wait()
    }

    /// How a command ends after its output: quietly with status 0 when all was written or the reader
    /// went away (`latticetop get … | head` ends like `git log | head`); one line and status 1 when
    /// stdout failed otherwise (a full disk).
    static func finishOutput() throws {
        if let message = StandardOutput.out.errorMessage { throw fail(message) }
    }
}

/// A component or provider together with the host it runs on; encodes as the wire object plus
/// `host_id`.
struct Hosted<T: Encodable & Sendable>: Encodable, Sendable {
    let hostID: String
    let item: T

    enum CodingKeys: String, CodingKey { case hostID = "host_id" }

    func encode(to encoder: any Encoder) throws {
        try item.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hostID, forKey: .hostID)
    }
}
