import Foundation
import LatticeProtocol

/// Locates `../shared` next to the repository root, or `$LATTICETOP_SHARED` when set.
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

    static func json(_ relativePath: String) throws -> JSONValue {
        try JSONValue(jsonData: Data(contentsOf: sharedDirectory.appendingPathComponent("fixtures").appendingPathComponent(relativePath)))
    }
}
