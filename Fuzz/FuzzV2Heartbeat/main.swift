import Foundation
import LibFuzzerDriver
import LatticeProtocol
import LatticeState

// wasmCloud v2: the first byte picks the decoder: a host heartbeat (folded into a `LatticeState`
// twice, a minute apart; most selector values) or one of the v2 workload replies and requests.

private let start = Date(timeIntervalSince1970: 1_800_000_000)
/// Small buffers: a fresh state per input stays cheap.
private let small = LatticeStateConfiguration(eventLogCapacity: 16, providerHistoryCapacity: 4, duplicateWindow: 16, sampleCapacity: 4)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzV2Heartbeat(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes, count > 0 else { return 0 }
    let selector = bytes[0] % 8
    let data = Data(bytes: bytes + 1, count: count - 1)
    switch selector {
    case 0:
        if let reply = try? WireJSON.decode(V2WorkloadReply.self, from: data) { _ = try? WireJSON.encode(reply) }
    case 1:
        if let status = try? WireJSON.decode(V2WorkloadStatus.self, from: data) { _ = try? WireJSON.encode(status) }
    case 2:
        _ = try? WireJSON.decode(V2WorkloadIDRequest.self, from: data)
        _ = try? WireJSON.decode(V2WorkloadStartRequest.self, from: data)
    default:
        var state = LatticeState(configuration: small)
        if let heartbeat = try? V2HostHeartbeat.decode(data) {
            _ = heartbeat.startedAtDate
            _ = heartbeat.hostGroup
            _ = try? WireJSON.encode(heartbeat)
            let subject = "runtime.operator.heartbeat." + heartbeat.id
            state.apply(.v2Heartbeat(heartbeat, subject: subject, at: start))
            state.apply(.v2Heartbeat(heartbeat, subject: subject, at: start.addingTimeInterval(60)))
        } else {
            state.apply(.undecodable(subject: "runtime.operator.heartbeat.fuzz", reason: "v2 heartbeat", raw: data, at: start))
            precondition(state.counters.decodeErrors == 1, "an undecodable heartbeat must be counted")
        }
        state.apply(.tick(start.addingTimeInterval(3600)))
    }
    return 0
}

// SwiftPM gives every executable a `main` (this file's top level), so libFuzzer is started here.
var argumentCount = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &argumentValues) { fuzzV2Heartbeat($0, $1) })
