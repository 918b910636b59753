import Foundation
import LibFuzzerDriver
import LatticeProtocol
import LatticeState

// Control replies and wadm API replies. The first byte picks the decoder (the reply to one kind
// of control operation, one wadm reply, or a control request body); the rest is the message.
// What decodes is folded into a `LatticeState` as a sync would, so odd but valid values reach
// the reducer too. Decoding may fail (that is an error value); it must never trap.

private let start = Date(timeIntervalSince1970: 1_800_000_000)
/// Small buffers: a fresh state per input stays cheap.
private let small = LatticeStateConfiguration(eventLogCapacity: 16, providerHistoryCapacity: 4, duplicateWindow: 16, sampleCapacity: 4)
private let replies: [CtlOperation] = [
    .hostPing, .hostGet, .linkGet, .configGet, .claimsGet, .componentAuction, .providerAuction, .hostStop,
]
/// Decoders after the control replies: wadm replies, then one request body per operation.
private let wadmDecoders = 7
private let decoderCount = replies.count + wadmDecoders + CtlOperation.allCases.count

private func fold(_ reply: CtlReply, into state: inout LatticeState) {
    switch reply {
    case .host(let r):
        if let info = r.response {
            state.apply(.hostPinged(info, syncID: 1, at: start))
            state.apply(.syncFinished(id: 1, hostsAnswered: [info.id], complete: true, at: start.addingTimeInterval(1)))
        }
    case .inventory(let r):
        if let inventory = r.response { state.apply(.inventory(inventory, syncID: 1, at: start)) }
    case .links(let r):
        if let links = r.response { state.apply(.links(links, syncID: 1, at: start)) }
    case .config(let r):
        if let values = r.response { state.apply(.config(name: "fuzz", values: values, at: start)) }
    default:
        break
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCtlReplies(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes, count > 0 else { return 0 }
    let selector = Int(bytes[0]) % decoderCount
    let data = Data(bytes: bytes + 1, count: count - 1)
    var state = LatticeState(configuration: small)
    state.apply(.syncStarted(id: 1, at: start))
    switch selector {
    case 0..<replies.count:
        guard let reply = try? CtlReply.decode(data, for: replies[selector]) else { return 0 }
        _ = (reply.success, reply.message)
        _ = try? reply.encoded()
        fold(reply, into: &state)
    case replies.count:
        if let list = try? WadmModelListReply.decodeEitherShape(data) {
            state.apply(.applications(list.models, syncID: 1, at: start))
        }
    case replies.count + 1:
        if let status = try? WireJSON.decode(WadmModelStatusReply.self, from: data), let s = status.status {
            state.apply(.wadmStatus(application: "fuzz", status: s, at: start))
        }
    case replies.count + 2:
        if let status = try? WireJSON.decode(WadmStatus.self, from: data) {
            state.apply(.wadmStatus(application: "fuzz", status: status, at: start))
        }
    case replies.count + 3: _ = try? WireJSON.decode(WadmVersionsReply.self, from: data)
    case replies.count + 4: _ = try? WireJSON.decode(WadmPutReply.self, from: data)
    case replies.count + 5: _ = try? WireJSON.decode(WadmDeployReply.self, from: data)
    case replies.count + 6:
        _ = try? WireJSON.decode(WadmDeleteReply.self, from: data)
        _ = try? WireJSON.decode(WadmGenericReply.self, from: data)
    default:
        let operation = CtlOperation.allCases[selector - replies.count - wadmDecoders]
        _ = try? CtlRequestBody.decode(data, for: operation)
    }
    state.apply(.tick(start.addingTimeInterval(3600)))
    return 0
}

// SwiftPM gives every executable a `main` (this file's top level), so libFuzzer is started here.
var argumentCount = CommandLine.argc
var argumentValues: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &argumentValues) { fuzzCtlReplies($0, $1) })
