import Foundation
import LatticeProtocol
import LatticeSpy
@testable import LatticeTop
import Testing

/// The byte-level writer of `spy -o jsonl` against what the command printed before it: the
/// `JSONEncoder` line (`SpyNDJSON.line`) sanitised with `SafeText`. Byte for byte, over random
/// records whose strings mix plain ASCII with everything JSON escapes and a terminal must not see.
@Suite struct SpyJSONLineGoldenTests {
    /// What `spy -o jsonl` printed per record before the byte-level writer.
    static func codableLine(_ record: SpyRecord) throws -> [UInt8] {
        Array(SafeText.sanitize(try SpyNDJSON.line(record)).utf8)
    }

    static func writerLine(_ record: SpyRecord) -> [UInt8] {
        var writer = JSONLineWriter()
        writer.record(record)
        return writer.bytes
    }

    /// A record with every field set, from its JSON (the only public way to make one without a capture).
    static let base: SpyRecord = {
        let json = #"""
        {"attribution":"direct","call":1,"event":"message","function":"handle","handshake_ms":0.25,"headers":{"source-id":["a"]},
         "instance":"wasi:http/incoming-handler@0.2.0","kind":"invocation","lattice":"default","link_name":"default",
         "outcome":"ok","payload_base64":"AAE=","payload_prefix_base64":"AA==","preview":"00 01","preview_bytes":2,
         "preview_kind":"hex","reply":"_INBOX.x.1","results_ms":1.5,"seq":1,"size":2,"source":"caller","status":200,
         "subject":"default.callee.wrpc.0.0.1.wasi:http/incoming-handler@0.2.0.handle","target":"callee",
         "target_id":"callee","time":"2026-12-04T12:00:00.000000Z","traceparent":"00-1-2-01","truncated":false}
        """#
        return try! JSONDecoder().decode(SpyRecord.self, from: Data(json.utf8))
    }()

    /// Pieces strings are made of: plain text, what JSON escapes, what `SafeText` replaces, and
    /// the graphemes whose joiners it keeps or not (emoji ZWJ sequences, tags, a trailing joiner,
    /// combining marks, prepended marks, regional indicators).
    static let pieces: [String] = [
        "a", "Z", "0", "9", " ", "/", "-", "_", ".", ":", "@", "{", "}", "[", "]", ",", "'", "<", "&",
        "\"", "\\", "\\u0041", "\u{0}", "\u{1}", "\u{7}", "\u{8}", "\t", "\n", "\u{B}", "\u{C}", "\r", "\u{1B}", "\u{1B}[31m",
        "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9B}", "\u{9F}", "\u{A0}", "\u{AD}", "é", "e\u{301}", "\u{301}", "ß", "Ж",
        "日本", "\u{200B}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{2028}", "\u{2029}", "\u{202E}", "\u{2066}",
        "\u{2069}", "\u{2060}", "\u{FEFF}", "\u{FE0F}", "\u{FFFD}", "😀", "👨\u{200D}👩\u{200D}👧", "🏳\u{FE0F}\u{200D}🌈",
        "😀\u{200D}", "\u{200D}😀", "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}", "\u{E0041}", "🇫🇷", "🇫",
        "\u{600}", "\u{600}\u{200D}", "\u{1F3FB}\u{E0041}", "\u{301}\u{200D}", "1\u{20E3}", "1\u{FE0F}\u{20E3}", "#\u{200D}", "\u{1F3FB}", "\u{10FFFF}", "\u{D7FF}",
    ]

    static func randomString(_ rng: inout some RandomNumberGenerator) -> String {
        // Half the strings are plain ASCII identifiers (the fast path), half mixed.
        if Bool.random(using: &rng) {
            let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@")
            return String((0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
        }
        return (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    static func randomMilliseconds(_ rng: inout some RandomNumberGenerator) -> Double {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return Double(Int.random(in: 0...100_000, using: &rng))                  // whole milliseconds
        case 1: return (Double.random(in: 0..<10, using: &rng) * 1000).rounded() / 1000
        case 2: return (Double.random(in: 0..<1e9, using: &rng) * 1000).rounded() / 1000
        default: return SpyRecordTestSupport.milliseconds(.nanoseconds(Int64.random(in: 0...5_000_000_000, using: &rng)))
        }
    }

    static func randomRecord(_ rng: inout some RandomNumberGenerator) -> SpyRecord {
        func maybe<T>(_ make: () -> T) -> T? { Bool.random(using: &rng) ? make() : nil }
        var r = base
        r.event = Bool.random(using: &rng) ? "message" : "call"
        r.sequence = UInt64.random(in: 0...UInt64.max, using: &rng)
        r.call = UInt64.random(in: 0...1_000_000_000, using: &rng)
        r.time = randomString(&rng)
        r.kind = SpyMessageKind.allCases.randomElement(using: &rng)!
        r.subject = randomString(&rng)
        r.reply = maybe { randomString(&rng) }
        r.lattice = randomString(&rng)
        r.target = randomString(&rng)
        r.instance = randomString(&rng)
        r.function = randomString(&rng)
        r.source = maybe { randomString(&rng) }
        r.targetID = maybe { randomString(&rng) }
        r.linkName = maybe { randomString(&rng) }
        r.traceparent = maybe { randomString(&rng) }
        r.size = Int.random(in: 0...Int.max, using: &rng)
        r.preview = randomString(&rng)
        r.previewKind = [PayloadPreview.Kind.empty, .text, .hex].randomElement(using: &rng)!
        r.previewBytes = Int.random(in: 0...4096, using: &rng)
        r.truncated = Bool.random(using: &rng)
        r.attribution = SpyAttribution.allCases.randomElement(using: &rng)!
        r.outcome = SpyOutcome.allCases.randomElement(using: &rng)!
        r.status = maybe { Int.random(in: -1000...1000, using: &rng) }
        r.handshakeMs = maybe { randomMilliseconds(&rng) }
        r.resultsMs = maybe { randomMilliseconds(&rng) }
        r.headers = maybe {
            var h: [String: [String]] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &rng) {
                h[randomString(&rng)] = (0..<Int.random(in: 0...3, using: &rng)).map { _ in randomString(&rng) }
            }
            return h
        }
        r.payloadBase64 = maybe { Data((0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }).base64EncodedString() }
        r.payloadPrefixBase64 = maybe { Data((0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }).base64EncodedString() }
        return r
    }

    @Test func randomRecordsAreByteForByteTheCodableLine() throws {
        var rng = SeededGenerator(seed: 0x5EED_0012)
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            let record = Self.randomRecord(&rng)
            let expected = try Self.codableLine(record)
            let got = Self.writerLine(record)
            if got != expected, mismatches.count < 5 {
                mismatches.append("expected: \(String(decoding: expected, as: UTF8.self))\n     got: \(String(decoding: got, as: UTF8.self))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test(arguments: pieces)
    func everyPieceAloneAndBetweenOthers(piece: String) throws {
        for text in [piece, "x" + piece, piece + "x", piece + piece, "😀" + piece, piece + "😀", "\"" + piece + "\\"] {
            var r = Self.base
            r.preview = text
            r.headers = [text: [text, ""]]
            r.reply = text
            #expect(Self.writerLine(r) == (try Self.codableLine(r)), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func recordsFromARealCaptureAreByteForByteTheCodableLine() throws {
        let t0 = ContinuousClock.now
        let capture = SpyCapture(configuration: SpyConfiguration(previewBytes: 16))
        var wire: [SpyWireMessage] = []
        for i in 0..<200 {
            let payload = i % 3 == 0 ? Data("GET /path?\(i) \u{1B}[2J\u{202E}".utf8) : Data((0..<i).map { UInt8(truncatingIfNeeded: $0 * 7) })
            wire.append(SpyWireMessage(subject: "default.comp-\(i % 4).wrpc.0.0.1.wasi:http/incoming-handler@0.2.0.handle",
                                       reply: "_INBOX.t.\(i)",
                                       headers: ["source-id": "caller-\(i % 5)", "link-name": i % 2 == 0 ? "default" : "l\u{200D}\(i)",
                                                 "traceparent": "00-\(i)-01"],
                                       payload: payload, receivedAt: t0 + .microseconds(i)))
        }
        capture.ingest(wire, from: .invocations)
        capture.ingest((0..<200).filter { $0 % 2 == 0 }.map {
            SpyWireMessage(subject: "_INBOX.t.\($0).results", payload: Data("ok".utf8), receivedAt: t0 + .milliseconds($0))
        }, from: .inboxes)
        let messages = capture.snapshot(limit: 1000).messages
        #expect(messages.count == 300)
        for m in messages {
            for record in [SpyRecord(m), SpyRecord(m, event: "call"), SpyRecord(m, detail: capture.detail(sequence: m.sequence))] {
                #expect(Self.writerLine(record) == (try Self.codableLine(record)))
            }
        }
    }
}

enum SpyRecordTestSupport {
    /// Milliseconds as `SpyRecord` rounds a latency (three decimals).
    static func milliseconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return ((Double(s) * 1000 + Double(atto) / 1e15) * 1000).rounded() / 1000
    }
}

/// xorshift64*: reproducible random records.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 1 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
}
