import Foundation

/// The repository's test data: `Tests/Fixtures` (recorded and constructed wire traffic, see its
/// README) and the repository root (for the project's own scripts). Found from this file's path,
/// so a clone with nothing beside it is enough. A missing fixture is an error, never a skip.
public enum FixtureFiles {
    /// The directory holding `Package.swift`.
    public static let repositoryRoot: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.pathComponents.count > 1 {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: "/nonexistent-repository-root", isDirectory: true)
    }()

    /// `Tests/Fixtures` in the repository.
    public static let directory = repositoryRoot.appendingPathComponent("Tests/Fixtures", isDirectory: true)

    public static func url(_ relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }

    /// The bytes of one fixture file; throws `MissingFixture` when it is not there.
    public static func data(_ relativePath: String) throws -> Data {
        let file = url(relativePath)
        guard let data = FileManager.default.contents(atPath: file.path) else { throw MissingFixture(path: file.path) }
        return data
    }

    /// File names (not paths) in a fixture sub-directory with a suffix, sorted. An absent
    /// directory, or one with no such file, is an error: a test looping over nothing proves nothing.
    public static func files(in relativeDirectory: String, suffix: String) throws -> [String] {
        let folder = url(relativeDirectory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw MissingFixture(path: folder.path)
        }
        let matching = names.filter { $0.hasSuffix(suffix) }.sorted()
        if matching.isEmpty { throw MissingFixture(path: folder.appendingPathComponent("*" + suffix).path) }
        return matching
    }

    /// A file of the repository itself (a script, a theme), throwing when it is missing.
    public static func repositoryFile(_ relativePath: String) throws -> URL {
        let file = repositoryRoot.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: file.path) else { throw MissingFixture(path: file.path) }
        return file
    }
}

/// A fixture a test needs is not in the repository.
public struct MissingFixture: Error, CustomStringConvertible {
    public let path: String
    public var description: String { "missing fixture \(path) (fixtures live in the repository under Tests/Fixtures)" }
}
