import Foundation
import Testing
@testable import TerminalUI

/// The wide-character table is generated from Unicode's data (scripts/gen-east-asian-width.py);
/// these tests keep it from drifting from the script and check code points the script must get right.
@Suite struct EastAsianWidthTableTests {
    @Test func committedTableIsWhatTheScriptGenerates() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/gen-east-asian-width.py").path, "--check"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(message)")
    }

    @Test func tableIsSortedAndDisjoint() {
        for (a, b) in zip(eastAsianWideRanges, eastAsianWideRanges.dropFirst()) {
            #expect(a.upperBound + 1 < b.lowerBound, "\(a) and \(b) overlap or touch")
        }
    }

    @Test(arguments: [
        (UInt32(0x1100), true),    // Hangul Choseong Kiyeok (first W)
        (0x115F, true), (0x1160, false),
        (0x3000, true),            // ideographic space (F)
        (0xFF01, true),            // fullwidth exclamation mark (F)
        (0x9FFF, true),            // unassigned in some versions, wide by default (UAX #11)
        (0x2FFFD, true),           // plane 2, wide by default
        (0x1B132, true),           // Hiragana small ko, W since Unicode 15.0
        (0x1FA75, true),           // light blue heart, W since Unicode 15.0
        (0x00E9, false), (0x0410, false),
    ])
    func knownCodePoints(value: UInt32, wide: Bool) {
        #expect(isEastAsianWide(value) == wide)
    }
}
