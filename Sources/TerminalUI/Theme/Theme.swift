/// Named styles for every `ThemeRole`. Roles a theme file leaves out take their fallback's style.
public struct Theme: Hashable, Sendable {
    public var name: String
    private var styles: [ThemeRole: Style]

    /// `styles` may leave roles out; they are filled from `ThemeRole.fallback`.
    public init(name: String, styles: [ThemeRole: Style]) {
        self.name = name
        var resolved: [ThemeRole: Style] = [:]
        func resolve(_ role: ThemeRole) -> Style {
            if let done = resolved[role] { return done }
            let style = styles[role] ?? role.fallback.map(resolve) ?? .plain
            resolved[role] = style
            return style
        }
        for role in ThemeRole.allCases { _ = resolve(role) }
        self.styles = resolved
    }

    public subscript(role: ThemeRole) -> Style {
        get { styles[role] ?? .plain }
        set { styles[role] = newValue }
    }

    /// The same theme as a terminal with `depth` can show it.
    public func downgraded(to depth: ColorDepth) -> Theme {
        var copy = self
        for role in ThemeRole.allCases { copy[role] = self[role].downgraded(to: depth) }
        return copy
    }

    /// The built-in default theme (also shipped as `Themes/default.yaml`).
    public static let `default`: Theme = {
        do {
            return try ThemeParser.parse(yaml: EmbeddedThemes.defaultYAML, source: "<embedded default theme>")
        } catch {
            preconditionFailure("embedded default theme is invalid: \(error)")
        }
    }()
}
