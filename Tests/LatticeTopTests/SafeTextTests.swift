import Testing
@testable import LatticeTop

/// The command-line output's sanitiser covers the same scalars as the dashboard's (`TextSanitizer`).
@Suite struct SafeTextTests {
    @Test func controlsBidiAndInvisiblesBecomeQuestionMarks() {
        #expect(SafeText.sanitize("plain") == "plain")
        #expect(SafeText.sanitize("a\u{1B}]0;t\u{07}b") == "a?]0;t?b")
        #expect(SafeText.sanitize("x\u{9B}2Jy") == "x?2Jy")
        #expect(SafeText.sanitize("txt\u{202E}exe") == "txt?exe")
        #expect(SafeText.sanitize("ad\u{200B}m\u{00AD}i\u{E0041}n\u{FEFF}") == "ad?m?i?n?")
        #expect(SafeText.sanitize("héllo 👩‍💻") == "héllo 👩‍💻")
    }
}
