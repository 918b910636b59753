import Foundation
import Testing
import LatticeProtocol

@Suite struct RFC3339Tests {
    func seconds(_ text: String) -> Double? { RFC3339.parse(text)?.timeIntervalSince1970 }

    @Test func parsesEveryPrecisionAndOffset() throws {
        #expect(seconds("2025-06-01T12:00:00Z") == 1_748_779_200)
        #expect(seconds("2025-06-01T12:00:00.5Z") == 1_748_779_200.5)
        let micro = try #require(seconds("2025-06-01T12:00:00.123456Z"))
        #expect(abs(micro - 1_748_779_200.123456) < 1e-6)
        let nano = try #require(seconds("2026-11-24T18:14:52.048824096+00:00"))
        #expect(abs(nano - 1_795_544_092.048824096) < 1e-6)
        let longFraction = try #require(seconds("2025-06-01T12:00:00.123456789123Z"))
        #expect(abs(longFraction - 1_748_779_200.123456789) < 1e-6)
        #expect(seconds("2025-06-01T14:00:00+02:00") == 1_748_779_200)
        #expect(seconds("2025-06-01T11:30:00-00:30") == 1_748_779_200)
        #expect(seconds("2025-06-01t12:00:00z") == 1_748_779_200)
        #expect(seconds("2025-06-01 12:00:00Z") == 1_748_779_200)
        #expect(seconds("2024-02-29T00:00:00Z") == 1_709_164_800)
        #expect(seconds("1900-01-01T00:00:00Z") == -2_208_988_800)
    }

    @Test func rejectsInvalidText() {
        for bad in ["", "2025-06-01", "2025-06-01T12:00:00", "2025-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
                    "2025-06-31T00:00:00Z", "2025-06-01T24:00:00Z", "2025-06-01T12:60:00Z", "2025-06-01T12:00:00.Z",
                    "2025-06-01T12:00:00Zjunk", "2025-06-01T12:00:00+0200", "25-06-01T12:00:00Z", "２０２５-06-01T12:00:00Z",
                    "2025-06-01T12:00:00+24:00", "bogus"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad) should not parse")
        }
    }

    @Test func formatsUTCWithFixedFraction() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_748_779_200.5)) == "2025-06-01T12:00:00.500000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_748_779_200.4), fractionalDigits: 0) == "2025-06-01T12:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_748_779_200.6), fractionalDigits: 0) == "2025-06-01T12:00:01Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_748_779_200.123456)) == "2025-06-01T12:00:00.123456Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_748_779_200.123456789), fractionalDigits: 9).hasPrefix("2025-06-01T12:00:00.1234567"))
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_748_779_200.25), fractionalDigits: 3) == "2025-06-01T12:00:00.250Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_709_164_800)) == "2024-02-29T00:00:00.000000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_748_779_199.9999999)) == "2025-06-01T12:00:00.000000Z", "rounding carries")
        for value in stride(from: -3_000_000_000.0, through: 4_000_000_000.0, by: 86_399.123) {
            let text = RFC3339.format(Date(timeIntervalSince1970: value))
            let back = RFC3339.parse(text)?.timeIntervalSince1970
            #expect(back.map { abs($0 - value) < 1e-5 } == true, "\(text)")
        }
    }
}
