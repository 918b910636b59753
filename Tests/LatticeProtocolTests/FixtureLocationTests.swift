import Foundation
import Testing
@testable import LatticeProtocol

@Suite struct FixtureLocationTests {
    @Test func fixturesAreInTheRepository() throws {
        let path = SharedFixtures.fixturesDirectory.path
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue,
                "fixtures not found at \(path): they are part of the repository (Tests/Fixtures)")
        #expect(try SharedFixtures.files(in: "v1-constructed", suffix: ".json").count == 5)
    }
}
