/// How a cell looks: foreground, background and text attributes.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: TextAttributes

    public init(foreground: Color = .default, background: Color = .default, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// Terminal defaults, no attributes.
    public static let plain = Style()

    public func with(foreground: Color) -> Style {
        var copy = self
        copy.foreground = foreground
        return copy
    }

    public func with(background: Color) -> Style {
        var copy = self
        copy.background = background
        return copy
    }

    public func adding(_ attributes: TextAttributes) -> Style {
        var copy = self
        copy.attributes.formUnion(attributes)
        return copy
    }

    /// This style drawn over `base`: default colours let the base show through, attributes add up.
    public func over(_ base: Style) -> Style {
        Style(
            foreground: foreground == .default ? base.foreground : foreground,
            background: background == .default ? base.background : background,
            attributes: attributes.union(base.attributes)
        )
    }

    /// This style as a terminal with `depth` can show it. Without colour only bold, reverse and
    /// underline are kept, and a style that stood out by its background (a selected row, a banner)
    /// turns into reverse video, so selection and state stay visible.
    public func downgraded(to depth: ColorDepth) -> Style {
        if depth == .noColor {
            var kept = attributes.intersection([.bold, .reverse, .underline])
            if background != .default && !isBackgroundOfPlainText { kept.insert(.reverse) }
            return Style(attributes: kept)
        }
        return Style(
            foreground: foreground.downgraded(to: depth),
            background: background.downgraded(to: depth),
            attributes: attributes
        )
    }

    /// Dark or black backgrounds with a light foreground are the screen itself, not a highlight.
    private var isBackgroundOfPlainText: Bool {
        guard let back = background.rgbValue else { return false }
        let luminance = (299 * Int(back.red) + 587 * Int(back.green) + 114 * Int(back.blue)) / 1000
        guard let front = foreground.rgbValue else { return luminance < 64 }
        let frontLuminance = (299 * Int(front.red) + 587 * Int(front.green) + 114 * Int(front.blue)) / 1000
        return luminance < 64 && frontLuminance > luminance
    }
}
