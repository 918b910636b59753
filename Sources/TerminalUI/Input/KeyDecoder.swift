/// Turns raw terminal input bytes into `InputEvent`s: UTF-8 text, control keys, ESC sequences
/// (CSI and SS3: arrows, Home/End, PgUp/PgDn, Insert/Delete, F1–F12 with xterm modifiers,
/// shift-tab `ESC [ Z`, the Linux console's `ESC [ [ A`…), alt/meta as an ESC prefix, and
/// bracketed paste (`ESC [ 200 ~` … `ESC [ 201 ~`).
///
/// Input may arrive split at any byte: an incomplete sequence stays pending until more bytes come.
/// A lone ESC cannot be told from the start of a sequence, so when no more input arrives within the
/// caller's timeout (~25 ms), the caller calls `flush()` to deliver it as the Escape key.
public struct KeyDecoder: Sendable {
    /// The longest ESC sequence we wait for; longer ones are dropped as garbage.
    static let maxSequenceLength = 32
    /// Pastes beyond this many bytes are cut (the rest is discarded).
    public static let maxPasteBytes = 1 << 20

    private var pending: [UInt8] = []
    private var pasting = false
    private var paste: [UInt8] = []

    public init() {}

    /// True when bytes are held back waiting for the rest of a sequence (call `flush()` after a timeout).
    public var hasPendingInput: Bool { !pending.isEmpty && !pasting }

    /// True while inside a bracketed paste.
    public var isInPaste: Bool { pasting }

    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [InputEvent] {
        pending.append(contentsOf: bytes)
        var events: [InputEvent] = []
        var index = 0
        while index < pending.count {
            if pasting {
                guard let consumed = consumePaste(from: index, into: &events) else { break }
                index = consumed
                continue
            }
            guard let (consumed, event) = decodeOne(at: index, final: false) else { break }
            index = consumed
            if let event { events.append(event) }
        }
        pending.removeFirst(index)
        return events
    }

    /// Delivers what is pending as if no more bytes will follow: a lone ESC becomes Escape,
    /// `ESC x` alt-x, an incomplete UTF-8 sequence U+FFFD. An unfinished paste keeps waiting.
    public mutating func flush() -> [InputEvent] {
        guard !pasting else { return [] }
        var events: [InputEvent] = []
        var index = 0
        while index < pending.count {
            guard let (consumed, event) = decodeOne(at: index, final: true) else { break }
            index = consumed
            if let event { events.append(event) }
        }
        pending.removeAll()
        return events
    }

    // MARK: One key

    /// Decodes the event starting at `start`; nil when more bytes are needed (never when `final`).
    private mutating func decodeOne(at start: Int, final: Bool) -> (Int, InputEvent?)? {
        let byte = pending[start]
        if byte == 0x1B {
            return decodeEscape(at: start, final: final)
        }
        guard let (next, key) = decodePlain(at: start, final: final) else { return nil }
        return (next, key.map(InputEvent.key))
    }

    /// A key that does not start with ESC.
    private func decodePlain(at start: Int, final: Bool) -> (Int, Key?)? {
        let byte = pending[start]
        switch byte {
        case 0x0D, 0x0A: return (start + 1, .enter)
        case 0x09: return (start + 1, .tab)
        case 0x7F, 0x08: return (start + 1, .backspace)
        case 0x00: return (start + 1, Key(.character(" "), modifiers: .ctrl))
        case 0x01...0x1A: return (start + 1, .ctrl(Character(Unicode.Scalar(byte + 0x60))))
        case 0x1B: return (start + 1, .escape)
        case 0x1C...0x1F: return (start + 1, .ctrl(Character(Unicode.Scalar(byte + 0x40))))
        case 0x20...0x7E: return (start + 1, .character(Character(Unicode.Scalar(byte))))
        default:
            guard let (next, scalar) = decodeUTF8(at: start, final: final) else { return nil }
            if scalar.value >= 0x80 && scalar.value < 0xA0 { return (next, nil) }   // C1 controls
            return (next, .character(Character(scalar)))
        }
    }

    private func decodeUTF8(at start: Int, final: Bool) -> (Int, Unicode.Scalar)? {
        let lead = pending[start]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return (start + 1, TextSanitizer.replacement)
        }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length {
            guard start + offset < pending.count else {
                return final ? (start + offset, TextSanitizer.replacement) : nil
            }
            let continuation = pending[start + offset]
            guard continuation & 0xC0 == 0x80 else { return (start + offset, TextSanitizer.replacement) }
            value = (value << 6) | UInt32(continuation & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return (start + length, TextSanitizer.replacement) }
        return (start + length, scalar)
    }

    // MARK: ESC sequences

    private mutating func decodeEscape(at start: Int, final: Bool) -> (Int, InputEvent?)? {
        guard start + 1 < pending.count else { return final ? (start + 1, .key(.escape)) : nil }
        let next = pending[start + 1]
        switch next {
        case 0x5B: // [
            return decodeCSI(at: start, final: final)
        case 0x4F: // O
            guard start + 2 < pending.count else {
                return final ? (start + 2, .key(.alt("O"))) : nil
            }
            let key = ss3Key(pending[start + 2])
            return (start + 3, key.map(InputEvent.key))
        case 0x1B:
            return (start + 1, .key(.escape))
        default:
            guard let (after, key) = decodePlain(at: start + 1, final: final) else { return nil }
            guard var key else { return (after, nil) }
            key.modifiers.insert(.alt)
            return (after, .key(key))
        }
    }

    private mutating func decodeCSI(at start: Int, final: Bool) -> (Int, InputEvent?)? {
        var index = start + 2
        // Linux console function keys: ESC [ [ A … ESC [ [ E.
        if index < pending.count, pending[index] == 0x5B {
            guard index + 1 < pending.count else { return final ? (index + 1, nil) : nil }
            let letter = pending[index + 1]
            let key: Key? = (0x41...0x45).contains(letter) ? .function(Int(letter) - 0x40) : nil
            return (index + 2, key.map(InputEvent.key))
        }
        while index < pending.count {
            let byte = pending[index]
            if byte >= 0x40 && byte <= 0x7E {
                let parameters = Array(pending[(start + 2)..<index])
                return (index + 1, csiEvent(parameters: parameters, final: byte))
            }
            if byte < 0x20 || byte > 0x3F {
                // Not a CSI after all: ESC [ was alt-[; decode the rest afresh.
                return (start + 2, .key(.alt("[")))
            }
            if index - start >= Self.maxSequenceLength { return (index + 1, nil) }
            index += 1
        }
        if final {
            return index == start + 2 ? (index, .key(.alt("["))) : (index, nil)
        }
        return nil
    }

    private mutating func csiEvent(parameters: [UInt8], final: UInt8) -> InputEvent? {
        let numbers = String(decoding: parameters, as: UTF8.self).split(separator: ";", omittingEmptySubsequences: false)
            .map { Int($0.prefix(while: \.isNumber)) }
        let first = numbers.first.flatMap { $0 } ?? 1
        let modifiers = numbers.count > 1 ? KeyModifiers(xtermParameter: numbers[1] ?? 1) : []
        let code: KeyCode
        switch final {
        case 0x41: code = .up
        case 0x42: code = .down
        case 0x43: code = .right
        case 0x44: code = .left
        case 0x48: code = .home
        case 0x46: code = .end
        case 0x5A: return .key(Key(.tab, modifiers: modifiers.union(.shift)))
        case 0x50...0x53: code = .function(Int(final) - 0x4F)   // P Q R S: F1–F4
        case 0x7E: // ~
            switch first {
            case 1, 7: code = .home
            case 2: code = .insert
            case 3: code = .delete
            case 4, 8: code = .end
            case 5: code = .pageUp
            case 6: code = .pageDown
            case 11...15: code = .function(first - 10)
            case 17...21: code = .function(first - 11)
            case 23...26: code = .function(first - 12)
            case 28, 29: code = .function(first - 13)
            case 31...34: code = .function(first - 14)
            case 200:
                pasting = true
                paste.removeAll()
                return nil
            default: return nil
            }
        default:
            return nil
        }
        return .key(Key(code, modifiers: modifiers))
    }

    private func ss3Key(_ byte: UInt8) -> Key? {
        switch byte {
        case 0x41: .up
        case 0x42: .down
        case 0x43: .right
        case 0x44: .left
        case 0x48: .home
        case 0x46: .end
        case 0x4D: .enter
        case 0x50...0x53: .function(Int(byte) - 0x4F)
        default: nil
        }
    }

    // MARK: Bracketed paste

    private static let pasteEnd: [UInt8] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]   // ESC [ 201 ~

    /// Consumes paste bytes from `start`; emits the paste when its end marker arrives. Returns nil
    /// when what is left might be the start of the end marker.
    private mutating func consumePaste(from start: Int, into events: inout [InputEvent]) -> Int? {
        var index = start
        while index < pending.count {
            if pending[index] == 0x1B {
                let available = pending.count - index
                let compared = min(available, Self.pasteEnd.count)
                if pending[index..<(index + compared)].elementsEqual(Self.pasteEnd[0..<compared]) {
                    if compared < Self.pasteEnd.count { return index == start ? nil : index }
                    pasting = false
                    events.append(.paste(Self.normalizedPaste(paste)))
                    paste.removeAll()
                    return index + Self.pasteEnd.count
                }
            }
            if paste.count < Self.maxPasteBytes { paste.append(pending[index]) }
            index += 1
        }
        return index
    }

    private static func normalizedPaste(_ bytes: [UInt8]) -> String {
        var normalized: [UInt8] = []
        normalized.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D {
                normalized.append(0x0A)
                if index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
            } else {
                normalized.append(bytes[index])
            }
            index += 1
        }
        return String(decoding: normalized, as: UTF8.self)
    }
}
