import Foundation
import LibFuzzerDriver
import LatticeProtocol
import LatticeSpy

// wRPC traffic as the spy sees it. After a selector byte, the input is a list of up to 16 messages
// separated by 0x1E; each is
//   <subject>[ <reply>]\n<header>: <value>\n…\n\n<payload bytes>
// Subjects under `_INBOX` go to the inbox stream, everything else to the invocation stream.
// Every message goes through the decoder, pairing, the ring, the previews (two preview sizes),
// the detail view, the text line and (for the first four) the NDJSON record.

/// The first byte picks one: a usual preview with full payloads kept, or a 5-byte preview (cuts
/// inside characters) with none kept.
private let configurations = [
    SpyConfiguration(ringCapacity: 64, previewBytes: 64, rawTailMessages: 8, maxPendingCalls: 64),
    SpyConfiguration(ringCapacity: 64, previewBytes: 5, rawTailMessages: 0, maxPendingCalls: 64),
]

private func parse(_ record: Data) -> SpyWireMessage {
    let bytes = [UInt8](record)
    var headerEnd = bytes.count
    var payloadStart = bytes.count
    if bytes.count >= 2 {
        for i in 0..<(bytes.count - 1) where bytes[i] == 0x0A && bytes[i + 1] == 0x0A {
            headerEnd = i
            payloadStart = i + 2
            break
        }
    }
    let head = String(decoding: bytes[..<headerEnd], as: UTF8.self)
    var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let first = lines.isEmpty ? "" : lines.removeFirst()
    let parts = first.split(separator: " ", maxSplits: 1).map(String.init)
    var headers: [String: String] = [:]
    for line in lines {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
    }
    return SpyWireMessage(
        subject: parts.first ?? "", reply: parts.count > 1 ? parts[1] : nil, headers: headers,
        payload: Data(bytes[payloadStart...]))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWRPCMessages(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes, count > 0 else { return 0 }
    let configuration = configurations[Int(bytes[0] & 1)]
    let data = Data(bytes: bytes + 1, count: count - 1)
    let messages = data.split(separator: 0x1E, omittingEmptySubsequences: false).prefix(16).map { parse(Data($0)) }

    for message in messages {
        _ = WRPCSubject(parsing: message.subject).map { ($0.operation, $0.subject) }
        _ = WRPCHeaders(headers: message.headers)
        for limit in [0, 1, 7, 256] {
            let preview = PayloadPreview.make(message.data, maxBytes: limit)
            precondition(preview.shownBytes <= preview.totalBytes && preview.totalBytes == message.data.count)
            _ = SpyTextFormat.preview(preview, width: 12)
        }
    }

    let capture = SpyCapture(configuration: configuration)
    var decoder = SpyDecoder(configuration: configuration)
    for message in messages {
        let stream: SpyDecoder.Stream = message.subject.hasPrefix("_INBOX") ? .inboxes : .invocations
        capture.ingest(decoder.decode([message], from: stream))
    }
    capture.expire(now: .now + .seconds(60))
    let snapshot = capture.snapshot()
    for (i, m) in snapshot.messages.enumerated() {
        precondition(m.preview.shownBytes <= m.preview.totalBytes)
        _ = SpyTextFormat.line(m)
        let detail = capture.detail(sequence: m.sequence)
        guard i < 4 else { continue }
        let record = SpyRecord(m, detail: detail)
        if let line = try? SpyNDJSON.line(record) {
            precondition((try? SpyNDJSON.read(Data(line.utf8)))?.count == 1, "a saved record must read back")
        }
    }
    _ = snapshot.operations.map(\.operation)
    return 0
}

// SwiftPM gives every executable a `main` (this file's top level), so libFuzzer is started here.
var argumentCount = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &argumentValues) { fuzzWRPCMessages($0, $1) })
