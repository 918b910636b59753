import CCurses

/// Maps the `KEY_*` codes that ncurses' `wget_wch` returns (with `keypad` on) to `Key`s.
/// Pure: it only uses the constants; the backend passes the `keyname` for codes that terminfo
/// defines at run time (e.g. `kUP5` for ctrl-up).
enum CursesKeyMap {
    static func key(forCode code: Int32, name: String? = nil) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_IC: return .insert
        case KEY_DC: return .delete
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_SLEFT: return Key(.left, modifiers: .shift)
        case KEY_SRIGHT: return Key(.right, modifiers: .shift)
        case KEY_SR: return Key(.up, modifiers: .shift)
        case KEY_SF: return Key(.down, modifiers: .shift)
        case KEY_SHOME: return Key(.home, modifiers: .shift)
        case KEY_SEND: return Key(.end, modifiers: .shift)
        case KEY_SDC: return Key(.delete, modifiers: .shift)
        case KEY_SIC: return Key(.insert, modifiers: .shift)
        case KEY_SPREVIOUS: return Key(.pageUp, modifiers: .shift)
        case KEY_SNEXT: return Key(.pageDown, modifiers: .shift)
        case (KEY_F0 + 1)...(KEY_F0 + 63):
            // xterm terminfo: F13–F24 are shift-F1–F12, F25–F36 ctrl, F37–F48 ctrl-shift, F49–F60 alt.
            let number = Int(code - KEY_F0)
            let groups: [KeyModifiers] = [[], .shift, .ctrl, [.ctrl, .shift], .alt, [.alt, .shift]]
            let group = (number - 1) / 12
            guard group < groups.count else { return nil }
            return Key(.function((number - 1) % 12 + 1), modifiers: groups[group])
        default:
            return name.flatMap(key(forExtendedName:))
        }
    }

    /// terminfo's extended names: `kUP5` is ctrl-up, `kLFT3` alt-left, `kDC2` shift-delete…
    /// (the digit is the xterm modifier parameter).
    static func key(forExtendedName name: String) -> Key? {
        guard name.hasPrefix("k"), let digit = name.last?.wholeNumberValue, (2...8).contains(digit) else { return nil }
        let base = name.dropFirst().dropLast()
        let code: KeyCode
        switch base {
        case "UP": code = .up
        case "DN": code = .down
        case "LFT": code = .left
        case "RIT": code = .right
        case "HOM": code = .home
        case "END": code = .end
        case "NXT": code = .pageDown
        case "PRV": code = .pageUp
        case "DC": code = .delete
        case "IC": code = .insert
        default: return nil
        }
        return Key(code, modifiers: KeyModifiers(xtermParameter: digit))
    }
}
