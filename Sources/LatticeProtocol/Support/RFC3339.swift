import Foundation

/// RFC 3339 timestamps, parsed and formatted by hand: no `DateFormatter`, no `Calendar`, any
/// number of fractional digits (nanoseconds from v2 hosts, microseconds from 1.x hosts), `Z` or a
/// numeric offset.
public enum RFC3339 {
    /// Parses `2025-06-01T12:00:00.123456Z`, `2026-11-24T18:14:52.048824096+00:00`, … .
    /// Returns `nil` for anything that is not a valid RFC 3339 date-time.
    public static func parse(_ text: String) -> Date? {
        var scanner = ByteScanner(bytes: Array(text.utf8))
        guard
            let year = scanner.number(digits: 4), scanner.take(0x2D),
            let month = scanner.number(digits: 2), scanner.take(0x2D),
            let day = scanner.number(digits: 2),
            scanner.takeAny([0x54, 0x74, 0x20]),
            let hour = scanner.number(digits: 2), scanner.take(0x3A),
            let minute = scanner.number(digits: 2), scanner.take(0x3A),
            let second = scanner.number(digits: 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }

        var nanoseconds = 0
        if scanner.take(0x2E) {
            var digitCount = 0
            while let digit = scanner.digit() {
                if digitCount < 9 { nanoseconds = nanoseconds * 10 + digit }
                digitCount += 1
            }
            guard digitCount > 0 else { return nil }
            for _ in min(digitCount, 9)..<9 { nanoseconds *= 10 }
        }

        let offsetSeconds: Int
        if scanner.takeAny([0x5A, 0x7A]) {
            offsetSeconds = 0
        } else if let sign = scanner.takeSign(),
                  let offsetHours = scanner.number(digits: 2), scanner.take(0x3A),
                  let offsetMinutes = scanner.number(digits: 2),
                  offsetHours <= 23, offsetMinutes <= 59 {
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }

        let days = daysFromCivil(year: year, month: month, day: day)
        let wholeSeconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(wholeSeconds) + Double(nanoseconds) / 1e9)
    }

    /// Formats in UTC with `Z`, e.g. `2025-06-01T12:00:00.500000Z` (6 digits, as 1.x hosts send).
    /// `fractionalDigits` is clamped to 0...9; 0 leaves the fraction out. The value is rounded to
    /// the nearest unit of the last digit (a `Date` is a `Double`, so truncating would turn an
    /// exact microsecond into the one below half of the time).
    public static func format(_ date: Date, fractionalDigits: Int = 6) -> String {
        let digits = max(0, min(9, fractionalDigits))
        let scale = pow10(digits)
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var units = Int(((interval - Double(seconds)) * Double(scale)).rounded())
        if units >= scale {
            units -= scale
            seconds += 1
        }
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if digits > 0 { text += "." + pad(units, digits) }
        return text + "Z"
    }

    // MARK: - Civil calendar arithmetic (proleptic Gregorian, days since 1970-01-01)

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func pow10(_ n: Int) -> Int {
        (0..<n).reduce(1) { value, _ in value * 10 }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// Byte-level cursor used by `RFC3339.parse`.
private struct ByteScanner {
    let bytes: [UInt8]
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func digit() -> Int? {
        guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else { return nil }
        defer { index += 1 }
        return Int(bytes[index] - 0x30)
    }

    mutating func number(digits: Int) -> Int? {
        var value = 0
        for _ in 0..<digits {
            guard let next = digit() else { return nil }
            value = value * 10 + next
        }
        return value
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func takeAny(_ candidates: [UInt8]) -> Bool {
        guard index < bytes.count, candidates.contains(bytes[index]) else { return false }
        index += 1
        return true
    }

    mutating func takeSign() -> Int? {
        if take(0x2B) { return 1 }
        if take(0x2D) { return -1 }
        return nil
    }
}
