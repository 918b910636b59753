import Foundation
import NATSKit

/// The category of a NATSError (or none), so tests can compare it with `==` and print it.
enum ErrorKind: Equatable {
    case none, timeout, noResponders, noServer, authorizationFailed, tls, closed, invalidArgument, status
}

func kind(_ error: NATSError?) -> ErrorKind {
    switch error {
    case nil: return .none
    case .timeout?: return .timeout
    case .noResponders?: return .noResponders
    case .noServer?: return .noServer
    case .authorizationFailed?: return .authorizationFailed
    case .tls?: return .tls
    case .closed?: return .closed
    case .invalidArgument?: return .invalidArgument
    case .status?: return .status
    }
}

/// The error a connection attempt fails with, or nil when it connects (the connection is closed again).
func connectError(_ options: NATSConnectionOptions) async -> NATSError? {
    do {
        let nc = try await NATSConnection.connect(options)
        nc.close()
        return nil
    } catch {
        return error
    }
}

/// The error a request fails with, or nil when it is answered.
func requestError(_ nc: NATSConnection, _ subject: String, timeout: Duration) async -> NATSError? {
    do {
        _ = try await nc.request(subject, timeout: timeout)
        return nil
    } catch {
        return error
    }
}

extension NATSMessage {
    var text: String { String(decoding: data, as: UTF8.self) }
}

extension Data {
    init(_ text: String) { self = Data(text.utf8) }
}
