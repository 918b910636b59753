/// A 24-bit colour value.
public struct RGB: Hashable, Sendable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `#rrggbb` or `#rgb` (the `#` is optional).
    public init?(hex: String) {
        var digits = Substring(hex)
        if digits.hasPrefix("#") { digits = digits.dropFirst() }
        guard digits.allSatisfy(\.isHexDigit) else { return nil }
        if digits.count == 3 {
            let values = digits.map { UInt8(String($0), radix: 16)! * 17 }
            self.init(values[0], values[1], values[2])
        } else if digits.count == 6, let packed = UInt32(digits, radix: 16) {
            self.init(UInt8(packed >> 16), UInt8((packed >> 8) & 0xFF), UInt8(packed & 0xFF))
        } else {
            return nil
        }
    }

    public var hex: String {
        let packed = (UInt32(red) << 16) | (UInt32(green) << 8) | UInt32(blue)
        let digits = String(packed, radix: 16)
        return "#" + String(repeating: "0", count: 6 - digits.count) + digits
    }

    public var description: String { hex }

    /// Perceptual distance ("redmean" weighting), squared; good enough to pick a nearest palette entry.
    func distanceSquared(to other: RGB) -> Int {
        let meanRed = (Int(red) + Int(other.red)) / 2
        let dr = Int(red) - Int(other.red)
        let dg = Int(green) - Int(other.green)
        let db = Int(blue) - Int(other.blue)
        return (((512 + meanRed) * dr * dr) >> 8) + 4 * dg * dg + (((767 - meanRed) * db * db) >> 8)
    }
}
