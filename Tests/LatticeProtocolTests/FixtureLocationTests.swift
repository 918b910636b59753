import Foundation
import Testing
@testable import LatticeProtocol

@Suite struct FixtureLocationTests {
    @Test func sharedFixturesAreReachable() throws {
        let path = SharedFixtures.fixturesDirectory.path
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue,
                "fixtures not found at \(path); set LATTICETOP_SHARED to the shared directory")
        #expect(try SharedFixtures.files(in: "v1-constructed", suffix: ".json").count == 5)
    }
}
