import Foundation
import LatticeProtocol
import LatticeState
import TestFixtures

/// The fixtures in `Tests/Fixtures` that the test targets share.
enum SharedFixtures {
    static func url(_ relativePath: String) -> URL { FixtureFiles.url(relativePath) }

    static func data(_ relativePath: String) throws -> Data { try FixtureFiles.data(relativePath) }

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

    /// File names in a fixture directory with a suffix, sorted (an empty match is an error).
    static func files(in relativeDirectory: String, suffix: String) throws -> [String] {
        try FixtureFiles.files(in: relativeDirectory, suffix: suffix)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}
