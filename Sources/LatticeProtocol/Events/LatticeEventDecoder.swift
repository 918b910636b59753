import Foundation

/// Decodes lattice event messages without ever trapping: every failure is a
/// `LatticeDecodeError` that keeps the raw bytes. Unknown event types decode successfully as
/// `LatticeEventPayload.unknown`. Heartbeats and health reports are read directly first
/// (`direct(_:)`), everything else (and what that declines) through `Codable`.
public enum LatticeEventDecoder {
    public static func decode(_ data: Data) -> Result<LatticeEvent, LatticeDecodeError> {
        if let event = direct(data) { return .success(event) }
        do {
            return .success(try WireJSON.decode(LatticeEvent.self, from: data))
        } catch let mismatch as LatticeEventPayloadMismatch {
            return .failure(.unsupported(type: mismatch.type, reason: mismatch.reason, raw: data))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                return .failure(.invalidJSON(reason: DecodingErrorDescription.describe(error), raw: data))
            }
            return .failure(.invalidEnvelope(reason: DecodingErrorDescription.describe(error), raw: data))
        } catch {
            return .failure(.invalidJSON(reason: String(describing: error), raw: data))
        }
    }

    /// Throwing variant of `decode(_:)`.
    public static func decodeOrThrow(_ data: Data) throws(LatticeDecodeError) -> LatticeEvent {
        try decode(data).get()
    }
}
