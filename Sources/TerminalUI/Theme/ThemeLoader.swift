import Foundation

/// Finds and loads themes by name. Search order:
/// 1. `$XDG_CONFIG_HOME/latticetop/themes/NAME.yaml` (or `~/.config/latticetop/themes/NAME.yaml`),
/// 2. `NAME.yaml` in the shipped themes directory, when one is given,
/// 3. the embedded default theme, for `default` only.
///
/// The first file that exists is used; if it is invalid the error names it (file and line) and
/// later places are not tried, so a broken user theme is reported instead of silently ignored.
public struct ThemeLoader: Sendable {
    public var environment: [String: String]
    public var shippedThemesDirectory: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                shippedThemesDirectory: String? = nil) {
        self.environment = environment
        self.shippedThemesDirectory = shippedThemesDirectory
    }

    /// `$XDG_CONFIG_HOME/latticetop/themes`, or `~/.config/latticetop/themes`.
    public var userThemesDirectory: String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return xdg + "/latticetop/themes"
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.config/latticetop/themes"
    }

    /// The files tried for `name`, in order.
    public func candidatePaths(for name: String) -> [String] {
        [userThemesDirectory, shippedThemesDirectory].compactMap { directory in
            directory.map { $0 + "/" + name + ".yaml" }
        }
    }

    public func load(named name: String) throws(ThemeError) -> Theme {
        guard Self.isValidName(name) else {
            throw ThemeError(kind: .notFound, file: name, message: "invalid theme name '\(name)' (letters, digits, '-', '_' and '.' only)")
        }
        for path in candidatePaths(for: name) where FileManager.default.fileExists(atPath: path) {
            return try Self.load(file: path, defaultName: name)
        }
        if name == "default" { return .default }
        let tried = candidatePaths(for: name).joined(separator: ", ")
        throw ThemeError(kind: .notFound, file: name + ".yaml",
                         message: "no theme named '\(name)'" + (tried.isEmpty ? "" : " (looked for \(tried))"))
    }

    /// `load(named:)`, falling back to the default theme; the error, if any, is returned for the
    /// caller to show (e.g. in the flash line).
    public func loadOrDefault(named name: String) -> (theme: Theme, error: ThemeError?) {
        do {
            return (try load(named: name), nil)
        } catch {
            return (.default, error)
        }
    }

    /// Theme names found in the user and shipped directories, plus `default`, sorted.
    public func availableThemeNames() -> [String] {
        var names: Set<String> = ["default"]
        for directory in [userThemesDirectory, shippedThemesDirectory].compactMap({ $0 }) {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files where file.hasSuffix(".yaml") {
                names.insert(String(file.dropLast(5)))
            }
        }
        return names.sorted()
    }

    /// Parses one theme file; the theme's name defaults to the file name.
    public static func load(file path: String, defaultName: String? = nil) throws(ThemeError) -> Theme {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ThemeError(kind: .unreadable, file: path, message: "cannot read the theme file: \(error.localizedDescription)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let (line, column) = Self.firstInvalidUTF8(bytes)
            throw ThemeError(kind: .syntax, file: path, line: line, column: column, message: "not valid UTF-8")
        }
        let name = defaultName ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try ThemeParser.parse(yaml: text, source: path, defaultName: name)
    }

    /// 1-based line and column (in bytes) of the first byte that breaks UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, column = 1
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) {
            if scalar.count == 1 && scalar.first == 0x0A {
                line += 1
                column = 1
            } else {
                column += scalar.count
            }
        }
        return (line, column)
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
    }
}
