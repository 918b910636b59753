import Foundation
import LatticeProtocol
import TestFixtures

/// The fixtures in `Tests/Fixtures` that the test targets share.
enum SharedFixtures {
    static var fixturesDirectory: URL { FixtureFiles.directory }

    static func url(_ relativePath: String) -> URL { FixtureFiles.url(relativePath) }

    static func data(_ relativePath: String) throws -> Data { try FixtureFiles.data(relativePath) }

    static func json(_ relativePath: String) throws -> JSONValue {
        try JSONValue(jsonData: data(relativePath))
    }

    /// File names (not paths) in a fixture sub-directory, sorted (an empty match is an error).
    static func files(in relativeDirectory: String, suffix: String) throws -> [String] {
        try FixtureFiles.files(in: relativeDirectory, suffix: suffix)
    }
}

extension JSONValue {
    /// The value as JSON bytes, for feeding a member of a fixture file to a decoder.
    func bytes() throws -> Data { try jsonData() }
}

/// Parses JSON bytes back into a `JSONValue` to compare encoder output structurally.
func jsonValue(_ data: Data) throws -> JSONValue {
    try JSONValue(jsonData: data)
}

/// The set of top-level keys of an encoded JSON object.
func topLevelKeys(_ data: Data) throws -> Set<String> {
    Set(try jsonValue(data).objectValue?.keys.map { $0 } ?? [])
}

struct MissingFixtureMember: Error, CustomStringConvertible {
    let key: String
    var description: String { "fixture has no member \"\(key)\"" }
}

extension JSONValue {
    /// The JSON bytes of member `key`, throwing when it is absent.
    func memberBytes(_ key: String) throws -> Data {
        guard let value = self[key] else { throw MissingFixtureMember(key: key) }
        return try value.bytes()
    }

    /// Member `key` as a string, throwing when it is absent or not a string.
    func memberString(_ key: String) throws -> String {
        guard let value = self[key]?.stringValue else { throw MissingFixtureMember(key: key) }
        return value
    }
}
