import Foundation
import LatticeProtocol
import TestFixtures

/// The fixtures in `Tests/Fixtures` that the test targets share.
enum SharedFixtures {
    static func json(_ relativePath: String) throws -> JSONValue {
        try JSONValue(jsonData: FixtureFiles.data(relativePath))
    }
}
