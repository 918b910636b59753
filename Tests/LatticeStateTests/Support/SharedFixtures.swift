import Foundation
import LatticeProtocol
import LatticeState

/// Locates `../shared` next to the repository root (from this file's path), or
/// `$LATTICETOP_SHARED` when set.
enum SharedFixtures {
    static let sharedDirectory: URL = {
        if let override = ProcessInfo.processInfo.environment["LATTICETOP_SHARED"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.pathComponents.count > 1 {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory.deletingLastPathComponent().appendingPathComponent("shared", isDirectory: true)
            }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: "/nonexistent-shared-directory", isDirectory: true)
    }()

    static func url(_ relativePath: String) -> URL {
        sharedDirectory.appendingPathComponent("fixtures", isDirectory: true).appendingPathComponent(relativePath)
    }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    /// The members of a JSON array file, each as its own JSON bytes (one NATS message each).
    static func messages(_ relativePath: String) throws -> [Data] {
        guard let values = try JSONValue(jsonData: data(relativePath)).arrayValue else {
            throw FixtureError(description: "\(relativePath) is not a JSON array")
        }
        return try values.map { try $0.jsonData() }
    }

    /// Decodes messages as the subscription actor does: an event, or `.undecodable`. Each
    /// arrives `arrivalDelay` seconds after its own time (or at `fallback` when it has none).
    static func inputs(_ messages: [Data], subject: String = "wasmbus.evt.default.>", arrivalDelay: TimeInterval = 0.1,
                       fallback: Date = TestTime.base) -> [LatticeInput] {
        messages.map { raw in
            switch LatticeEventDecoder.decode(raw) {
            case .success(let event):
                return .event(event, at: event.date.map { $0 + arrivalDelay } ?? fallback)
            case .failure(let error):
                return .undecodable(subject: subject, reason: error.description, raw: raw, at: fallback)
            }
        }
    }

    /// File names in a fixture directory with a suffix, sorted.
    static func files(in relativeDirectory: String, suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(relativeDirectory).path)
            .filter { $0.hasSuffix(suffix) }.sorted()
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}
