import Foundation
import LibFuzzerDriver
import LatticeProtocol
import LatticeState

// Lattice events (wasmCloud CloudEvents and wadm's): the input (or, when it has several lines,
// each of its first 16 lines) is decoded as one message on an event subject and folded into a
// `LatticeState` — a decoded event as `.event`, anything else as `.undecodable`, which must be
// counted.

private let start = Date(timeIntervalSince1970: 1_800_000_000)
/// Small buffers: a fresh state per input stays cheap.
private let small = LatticeStateConfiguration(eventLogCapacity: 16, providerHistoryCapacity: 4, duplicateWindow: 16, sampleCapacity: 4)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLatticeEvents(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    let lines = data.split(separator: 0x0A, omittingEmptySubsequences: true)
    let messages = lines.count > 1 ? lines.prefix(16).map { Data($0) } : [data]
    var state = LatticeState(configuration: small)
    for (i, message) in messages.enumerated() {
        let at = start.addingTimeInterval(Double(i))
        let before = state.counters.decodeErrors
        switch LatticeEventDecoder.decode(message) {
        case .success(let event):
            _ = try? WireJSON.encode(event)
            state.apply(.event(event, at: at))
        case .failure(let error):
            precondition(error.raw == message, "the decode error must keep the raw bytes")
            _ = error.description
            state.apply(.undecodable(subject: "wasmbus.evt.default.fuzz", reason: error.description, raw: message, at: at))
            precondition(state.counters.decodeErrors == before + 1, "an undecodable message must be counted")
        }
    }
    state.apply(.tick(start.addingTimeInterval(3600)))
    _ = state.eventLog.count
    return 0
}

// SwiftPM gives every executable a `main` (this file's top level), so libFuzzer is started here.
var argumentCount = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &argumentValues) { fuzzLatticeEvents($0, $1) })
