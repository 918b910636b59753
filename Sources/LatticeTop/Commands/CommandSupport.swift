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
        FileHandle.standardError.write(Data("latticetop: error: \(SafeText.sanitize(message))\n".utf8))
        return ExitCode(1)
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("latticetop: warning: \(SafeText.sanitize(message))\n".utf8))
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = WireJSON.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    static func printText(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Waits until SIGINT or SIGTERM arrives.
    static func waitForTermination() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let once = ResumeOnce(c)
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
                source.setEventHandler { once.resume() }
                source.resume()
                SignalSources.keep(source)
            }
        }
    }
}

/// Keeps dispatch signal sources alive for the life of the process.
enum SignalSources {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    private static let lock = NSLock()
    static func keep(_ s: any DispatchSourceSignal) { lock.withLock { sources.append(s) } }
}

final class ResumeOnce: @unchecked Sendable {
    private var continuation: CheckedContinuation<Void, Never>?
    private let lock = NSLock()
    init(_ c: CheckedContinuation<Void, Never>) { continuation = c }
    func resume() {
        let c = lock.withLock { () -> CheckedContinuation<Void, Never>? in defer { continuation = nil }; return continuation }
        c?.resume()
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
