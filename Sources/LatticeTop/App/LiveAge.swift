import Foundation

/// An age in a kept row's text, left as a mark (a character of Unicode's private use area,
/// `U+E000` + its index in the row's `ages`) and written in when the row is drawn, so the
/// row's text does not change as the clock moves (`RowClock.marksAges`).
enum LiveAge {
    /// Marks a row's text can hold (`U+E000`…`U+F8FF`); more ages are written as text.
    static let marks = 0x1900

    static func mark(_ index: Int) -> String { String(Character(Unicode.Scalar(UInt32(0xE000 + index))!)) }

    /// `text` with each mark replaced by `Format.age` of the time from its moment in `ages` to
    /// `now`; `text` itself when it has none.
    static func resolve(_ text: String, ages: [Date], at now: Date) -> String {
        guard !ages.isEmpty, text.unicodeScalars.contains(where: { isMark($0, of: ages) }) else { return text }
        var resolved = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isMark(scalar, of: ages) {
                resolved.append(contentsOf: Format.age(now.timeIntervalSince(ages[Int(scalar.value) - 0xE000])).unicodeScalars)
            } else {
                resolved.append(scalar)
            }
        }
        return String(resolved)
    }

    private static func isMark(_ scalar: Unicode.Scalar, of ages: [Date]) -> Bool {
        scalar.value >= 0xE000 && Int(scalar.value) - 0xE000 < ages.count
    }
}
