import CLibCrypto
import Foundation

/// A NATS NKey (ed25519) in its text forms: the seed `S…` and the public key (`U…` for users,
/// `N…` for servers). Only what a client and its tests need: parse a seed, derive its public key,
/// sign, and make a fresh pair. The ed25519 operations are OpenSSL's libcrypto (which libnats links
/// already). libnats' own `nats_Sign` is not used: it refuses operator seeds (which the JWT tests
/// sign with) and empty input.
public struct NKey: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case user = 160      // 20 << 3, 'U'
        case server = 104    // 13 << 3, 'N'
        case account = 0     // 0 << 3, 'A'
        case `operator` = 112  // 14 << 3, 'O'
        case cluster = 16    // 2 << 3, 'C'
    }

    public let kind: Kind
    /// The 32-byte ed25519 seed.
    let rawSeed: Data

    private static let seedPrefix: UInt8 = 144  // 18 << 3, 'S'

    /// Parses an encoded seed such as `SUAM…`. Surrounding white space is ignored.
    public init(seed text: String) throws(NATSError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Base32.decode(trimmed), bytes.count == 36 else {
            throw .invalidArgument("not a valid NKey seed (expected a base32 string starting with S)")
        }
        let body = Array(bytes[0..<34])
        let crc = UInt16(bytes[34]) | UInt16(bytes[35]) << 8
        guard CRC16.xmodem(body) == crc else { throw .invalidArgument("NKey seed checksum mismatch") }
        guard bytes[0] & 248 == Self.seedPrefix else { throw .invalidArgument("not an NKey seed (must start with S)") }
        let prefix = ((bytes[0] & 7) << 5) | ((bytes[1] & 248) >> 3)
        guard let kind = Kind(rawValue: prefix) else { throw .invalidArgument("unknown NKey type in seed") }
        self.kind = kind
        self.rawSeed = Data(bytes[2..<34])
    }

    /// A fresh random key pair.
    public static func generate(_ kind: Kind = .user) -> NKey {
        // SystemRandomNumberGenerator is the platform's cryptographic source (getrandom on Linux).
        var generator = SystemRandomNumberGenerator()
        return NKey(kind: kind, rawSeed: Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    /// The key pair whose ed25519 seed is these 32 bytes (deterministic keys, such as a simulator's
    /// host IDs); nil for any other length.
    public static func fromRawSeed(_ bytes: [UInt8], kind: Kind) -> NKey? {
        bytes.count == 32 ? NKey(kind: kind, rawSeed: Data(bytes)) : nil
    }

    private init(kind: Kind, rawSeed: Data) {
        self.kind = kind
        self.rawSeed = rawSeed
    }

    /// The encoded seed (`S…`).
    public var seed: String {
        var body: [UInt8] = [Self.seedPrefix | (kind.rawValue >> 5), (kind.rawValue & 31) << 3]
        body.append(contentsOf: rawSeed)
        return Self.encode(body)
    }

    /// The encoded public key (`U…` for a user).
    public var publicKey: String {
        var raw = [UInt8](repeating: 0, count: 32)
        let derived = rawSeed.withUnsafeBytes { seed in
            latticetop_ed25519_public_key(seed.bindMemory(to: UInt8.self).baseAddress, &raw)
        }
        // Any 32 bytes are a valid ed25519 seed; libcrypto fails here only when out of memory.
        precondition(derived == 1, "libcrypto could not derive an ed25519 public key")
        return Self.encode([kind.rawValue] + raw)
    }

    /// Signs `data` (the server's nonce, a JWT's signing input) with ed25519: the 64-byte signature.
    public func sign(_ data: Data) -> Data {
        var signature = [UInt8](repeating: 0, count: 64)
        let signed = rawSeed.withUnsafeBytes { seed in
            data.withUnsafeBytes { message in
                latticetop_ed25519_sign(seed.bindMemory(to: UInt8.self).baseAddress,
                                        message.bindMemory(to: UInt8.self).baseAddress, message.count, &signature)
            }
        }
        // ed25519 signing is deterministic and cannot fail for a 32-byte seed; libcrypto fails here
        // only when out of memory.
        precondition(signed == 1, "libcrypto could not make an ed25519 signature")
        return Data(signature)
    }

    private static func encode(_ body: [UInt8]) -> String {
        let crc = CRC16.xmodem(body)
        return Base32.encode(body + [UInt8(crc & 0xff), UInt8(crc >> 8)])
    }
}

/// RFC 4648 base32 without padding, as NKeys use it.
enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for b in bytes {
            buffer = (buffer << 8) | UInt32(b)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for c in text.utf8 {
            let v: UInt8
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = c - UInt8(ascii: "A")
            case UInt8(ascii: "2")...UInt8(ascii: "7"): v = c - UInt8(ascii: "2") + 26
            case UInt8(ascii: "="): continue
            default: return nil
            }
            buffer = (buffer << 5) | UInt32(v)
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return out
    }
}

/// CRC-16/XMODEM (polynomial 0x1021), the checksum NKeys append.
enum CRC16 {
    static func xmodem(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0
        for b in bytes {
            crc ^= UInt16(b) << 8
            for _ in 0..<8 {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }
}
