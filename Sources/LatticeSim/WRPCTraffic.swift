import Foundation

/// The shapes of simulated wRPC calls: subjects as wRPC's NATS transport builds them, and
/// parameter/result bytes that look like component-model value encoding (binary, with a few
/// readable strings).
enum WRPCTraffic {
    /// `instance` nil: a bare function (exported by the world, outside any interface), which has
    /// no instance token.
    static func subject(lattice: String, target: String, instance: String?, function: String) -> String {
        "\(lattice).\(target).wrpc.0.0.1." + (instance.map { "\($0)." } ?? "") + function
    }

    /// The target ID of an invocation subject, or nil when it is not one.
    static func target(of subject: String, lattice: String) -> String? {
        let parts = subject.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 7, parts[0] == lattice, parts[2] == "wrpc", parts[3] == "0", parts[4] == "0", parts[5] == "1"
        else { return nil }
        return String(parts[1])
    }

    /// The bare function some calls go to.
    static let bareFunction = "hello"

    static func parameters(for function: String, sequence: Int) -> Data {
        switch function {
        case "handle":
            // An HTTP request: method, path, a header list (binary length prefixes).
            var bytes: [UInt8] = [0x00, 0x03]
            bytes += Array("GET".utf8)
            let path = "/counter/\(sequence % 7)"
            bytes += [0x01, UInt8(path.utf8.count)] + Array(path.utf8)
            bytes += [0x02, 0x01, 0x04] + Array("host".utf8) + [0x0e] + Array("localhost:8080".utf8)
            return Data(bytes)
        case "handle-message":
            let body = "hello \(sequence)"
            return Data([UInt8("wasmcloud.echo".utf8.count)] + Array("wasmcloud.echo".utf8) + [UInt8(body.utf8.count)] + Array(body.utf8))
        default:
            let key = "counter-\(sequence % 5)"
            return Data([0x07] + Array("default".utf8) + [UInt8(key.utf8.count)] + Array(key.utf8) + [0x01])
        }
    }

    /// The result messages of one call: every third call's results span two messages (as a
    /// streamed body does), the others fit in one. The empty close that ends the stream is not
    /// included (the server sends it after these).
    static func results(sequence: Int) -> [Data] {
        let head = Data([0x00, UInt8(truncatingIfNeeded: sequence), 0xc8, 0x00])
        guard sequence % 3 == 0 else { return [head] }
        return [head, Data([0x01, 0x0b] + Array("hello world".utf8))]
    }
}
