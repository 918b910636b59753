/// The xterm-256 palette: 16 ANSI colours, a 6×6×6 cube (16–231) and a 24-step grey ramp (232–255).
public enum XtermPalette {
    static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    public static func rgb(_ index: UInt8) -> RGB {
        switch index {
        case 0..<16:
            return ANSIColor(rawValue: index)!.rgb
        case 16..<232:
            let cube = Int(index) - 16
            return RGB(cubeLevels[cube / 36], cubeLevels[(cube / 6) % 6], cubeLevels[cube % 6])
        default:
            let grey = UInt8(8 + 10 * (Int(index) - 232))
            return RGB(grey, grey, grey)
        }
    }

    /// The nearest cube or grey-ramp entry (16–255); the 16 ANSI entries are skipped because
    /// terminals redefine them.
    public static func nearestIndex(to rgb: RGB) -> UInt8 {
        func cubeStep(_ value: UInt8) -> Int {
            // Midpoints between the levels 0, 95, 135, 175, 215, 255.
            switch value {
            case ..<48: 0
            case ..<115: 1
            case ..<155: 2
            case ..<195: 3
            case ..<235: 4
            default: 5
            }
        }
        let r = cubeStep(rgb.red), g = cubeStep(rgb.green), b = cubeStep(rgb.blue)
        let cubeIndex = UInt8(16 + 36 * r + 6 * g + b)
        let cubeColor = RGB(cubeLevels[r], cubeLevels[g], cubeLevels[b])

        let average = (Int(rgb.red) + Int(rgb.green) + Int(rgb.blue)) / 3
        let greyStep = average > 238 ? 23 : max(0, (average - 3) / 10)
        let greyIndex = UInt8(232 + greyStep)
        let greyColor = XtermPalette.rgb(greyIndex)

        return rgb.distanceSquared(to: greyColor) < rgb.distanceSquared(to: cubeColor) ? greyIndex : cubeIndex
    }

    public static func nearestANSI(to rgb: RGB) -> ANSIColor {
        var best = ANSIColor.black
        var bestDistance = Int.max
        for candidate in ANSIColor.allCases {
            let distance = rgb.distanceSquared(to: candidate.rgb)
            if distance < bestDistance {
                best = candidate
                bestDistance = distance
            }
        }
        return best
    }
}
