import Foundation
import LibFuzzerDriver
import TerminalUI

// Theme files (YAML). Errors must name the file and, when the problem is at one place, a line
// inside the text.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzThemes(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    let text = String(decoding: data, as: UTF8.self)
    do {
        let theme = try ThemeParser.parse(yaml: text, source: "fuzz.yaml", defaultName: "fuzz")
        for role in ThemeRole.allCases { _ = theme[role] }
        for depth in ColorDepth.allCases { _ = theme.downgraded(to: depth) }
    } catch {
        precondition(error.file == "fuzz.yaml", "the error must name the file")
        // YAML breaks lines at LF, CR, CRLF (and NEL, LS, PS): count them as the parser does.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).count
        if let line = error.line { precondition(line >= 1 && line <= lines + 1, "line \(line) of \(lines)") }
        _ = error.description
    }
    return 0
}

// SwiftPM gives every executable a `main` (this file's top level), so libFuzzer is started here.
var argumentCount = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &argumentValues) { fuzzThemes($0, $1) })
