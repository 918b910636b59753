import Foundation
import Testing
@testable import TerminalUI

@Suite struct ThemeTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Themes").path

    static let shippedThemes = ["default", "high-contrast", "solarized-dark", "monochrome"]

    @Test(arguments: shippedThemes)
    func shippedThemeLoadsAndDefinesEveryRole(name: String) throws {
        let path = Self.themesDirectory + "/" + name + ".yaml"
        let theme = try ThemeLoader.load(file: path)
        #expect(theme.name == name)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for role in ThemeRole.allCases {
            #expect(text.contains("  \(role.rawValue):"), "\(name).yaml does not set \(role.rawValue)")
        }
    }

    @Test func everyThemeFileInTheDirectoryIsShippedAndTested() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesDirectory)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        #expect(Set(files) == Set(Self.shippedThemes))
    }

    @Test func embeddedDefaultMatchesTheShippedFile() throws {
        let file = try String(contentsOfFile: Self.themesDirectory + "/default.yaml", encoding: .utf8)
        #expect(EmbeddedThemes.defaultYAML + "\n" == file)
        #expect(try ThemeLoader.load(file: Self.themesDirectory + "/default.yaml") == Theme.default)
    }

    @Test func defaultThemeValues() {
        let theme = Theme.default
        #expect(theme[.selectedRow] == Style(foreground: .black, background: .cyan))
        #expect(theme[.unhealthy] == Style(foreground: .ansi(.brightRed), attributes: .bold))
        #expect(theme[.normal] == .plain)
    }

    @Test func missingRolesFallBack() throws {
        let theme = try ThemeParser.parse(yaml: """
            name: tiny
            styles:
              normal: { fg: white }
              healthy: { fg: green }
            """, source: "tiny.yaml")
        #expect(theme[.header] == Style(foreground: .white))
        #expect(theme[.added] == theme[.healthy])
        #expect(theme[.focusedButton] == theme[.selectedRow])
    }

    @Test func unknownColourNamesFileAndLine() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/broken.yaml"
        try """
            name: broken
            styles:
              normal: { fg: default }
              header:
                fg: chartreuse
                bold: true
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ThemeError.self) { try ThemeLoader.load(file: path) }
        #expect(error?.file == path)
        #expect(error?.line == 5)
        #expect(error?.kind == .invalid)
        #expect(error?.description.hasPrefix(path + ":5:") == true)
        #expect(error?.message.contains("chartreuse") == true)
    }

    @Test func yamlSyntaxErrorNamesFileAndLine() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/syntax.yaml"
        try "name: syntax\nstyles:\n  normal: { fg: red\n  header: { fg: blue }\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ThemeError.self) { try ThemeLoader.load(file: path) }
        #expect(error?.kind == .syntax)
        #expect(error?.file == path)
        #expect(error?.line != nil)
        #expect((error?.line ?? 0) >= 3)
    }

    @Test func semanticErrorsPointAtTheirKey() {
        func line(of yaml: String) -> Int? {
            do {
                _ = try ThemeParser.parse(yaml: yaml, source: "t.yaml")
                return nil
            } catch {
                return error.line
            }
        }
        #expect(line(of: "styles:\n  normal: {}\n  headr: { fg: red }\n") == 3)          // unknown role
        #expect(line(of: "styles:\n  normal: { fg: red, blink: true }\n") == 2)           // unknown attribute
        #expect(line(of: "styles:\n  normal:\n    fg: red\n    bold: maybe\n") == 4)     // not a bool
        #expect(line(of: "styles:\n  normal: {}\n  normal: {}\n") == 3)                   // duplicate
        #expect(line(of: "name: x\ncolours: {}\nstyles: {}\n") == 2)                      // unknown key
        #expect(line(of: "styles:\n  header:\n    fg: #ff0000\n") == 3)                   // unquoted hex is a comment
    }

    @Test func loaderSearchesUserDirectoryThenShippedThenEmbedded() throws {
        let config = try temporaryDirectory()
        let userThemes = config + "/latticetop/themes"
        try FileManager.default.createDirectory(atPath: userThemes, withIntermediateDirectories: true)
        try "name: mine\nstyles:\n  header: { fg: magenta }\n"
            .write(toFile: userThemes + "/monochrome.yaml", atomically: true, encoding: .utf8)

        let loader = ThemeLoader(environment: ["XDG_CONFIG_HOME": config, "HOME": "/nonexistent"],
                                 shippedThemesDirectory: Self.themesDirectory)
        #expect(try loader.load(named: "monochrome")[.header] == Style(foreground: .magenta))   // user wins
        #expect(try loader.load(named: "solarized-dark").name == "solarized-dark")              // shipped
        #expect(loader.candidatePaths(for: "x") == [userThemes + "/x.yaml", Self.themesDirectory + "/x.yaml"])

        let bare = ThemeLoader(environment: ["HOME": "/nonexistent"], shippedThemesDirectory: nil)
        #expect(try bare.load(named: "default") == Theme.default)                              // embedded
        #expect(bare.userThemesDirectory == "/nonexistent/.config/latticetop/themes")
        #expect(throws: ThemeError.self) { try bare.load(named: "solarized-dark") }
        #expect(throws: ThemeError.self) { try bare.load(named: "../../etc/passwd") }
        #expect(loader.availableThemeNames() == ["default", "high-contrast", "monochrome", "solarized-dark"])
    }

    @Test func invalidUserThemeFallsBackToDefaultWithTheError() throws {
        let config = try temporaryDirectory()
        let userThemes = config + "/latticetop/themes"
        try FileManager.default.createDirectory(atPath: userThemes, withIntermediateDirectories: true)
        try "styles:\n  normal: { fg: nope }\n".write(toFile: userThemes + "/default.yaml", atomically: true, encoding: .utf8)
        let loader = ThemeLoader(environment: ["XDG_CONFIG_HOME": config], shippedThemesDirectory: Self.themesDirectory)
        let (theme, error) = loader.loadOrDefault(named: "default")
        #expect(theme == Theme.default)
        #expect(error?.file == userThemes + "/default.yaml")
        #expect(error?.line == 2)
    }

    @Test func themeDowngrade() {
        let theme = Theme(name: "t", styles: [.header: Style(foreground: .rgb(255, 0, 0), attributes: .italic)])
        #expect(theme.downgraded(to: .palette256)[.header].foreground == .indexed(196))
        #expect(theme.downgraded(to: .noColor)[.header] == .plain)
    }

    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "latticetop-theme-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Theme files that are not themes at all: an error naming the file (and the line when there is
/// one place to point at), then the default theme; never a crash.
@Suite struct HostileThemeFileTests {
    func write(_ bytes: [UInt8], name: String) throws -> (directory: String, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name + ".yaml"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    @Test func invalidUTF8NamesFileLineAndColumn() throws {
        let (directory, path) = try write(Array("name: bad\nstyles:\n  normal: { fg: re".utf8) + [0xFF, 0xFE] + Array("d }\n".utf8), name: "bad")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = #expect(throws: ThemeError.self) { try ThemeLoader.load(file: path) }
        #expect(error?.file == path)
        #expect(error?.line == 3)
        #expect(error?.column == 19)
        #expect(error?.message.contains("UTF-8") == true)
        let loader = ThemeLoader(environment: [:], shippedThemesDirectory: directory)
        let (theme, fallbackError) = loader.loadOrDefault(named: "bad")
        #expect(theme == Theme.default)
        #expect(fallbackError?.description.hasPrefix(path + ":3:19:") == true)
    }

    static let hostile: [String: (bytes: [UInt8], line: Int?)] = [
        "deep flow nesting": (Array(String(repeating: "[", count: 50_000).utf8), 1),
        "deep flow nesting over lines": (Array(("styles:\n  normal: " + String(repeating: "{a: [\n", count: 40)).utf8), 34),
        "deep block nesting": (Array((0..<2_000).map { String(repeating: " ", count: $0) + "k:\n" }.joined().utf8), 258),
        "binary": ((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }, nil),
        "a list": (Array("- one\n- two\n".utf8), 1),
        "wrong types": (Array("name: [1, 2]\nstyles: {}\n".utf8), 1),
        "styles a string": (Array("name: x\nstyles: red\n".utf8), 2),
        "huge": (Array(("styles:\n" + String(repeating: "  # padding\n", count: 200_000) + "  normal: { fg: 999 }\n").utf8), 200_002),
    ]

    @Test(arguments: hostile.keys.sorted())
    func rejectedWithTheFileNamed(_ name: String) throws {
        let (bytes, line) = try #require(Self.hostile[name])
        let (directory, path) = try write(bytes, name: "hostile")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = #expect(throws: ThemeError.self, "\(name)") { try ThemeLoader.load(file: path) }
        #expect(error?.file == path, "\(name)")
        if let line { #expect(error?.line == line, "\(name): \(error?.description ?? "")") }
    }

    /// Found by FuzzThemes: a run of carriage returns. YAML breaks lines at CR as well as LF, so
    /// the line an error names counts them (an early harness check counted LF only).
    @Test func carriageReturnLineEndingsCountAsLines() throws {
        let (directory, path) = try write(Array("name: cr\r\r\r\nstyles:\r  normal: { fg: nope }\r".utf8), name: "cr")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = #expect(throws: ThemeError.self) { try ThemeLoader.load(file: path) }
        #expect(error?.line == 5)
        #expect(error?.message.contains("nope") == true)
    }
}
