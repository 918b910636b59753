import Testing
@testable import LatticeState

@Suite struct ByteOrderTests {
    @Test func ordersAsTheTuplesOfStringsDo() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab-_0Z9é日").map(String.init)
        for _ in 0..<50 {
            let keys: [(String, String)] = (0..<200).map { _ in
                let a = (0..<Int.random(in: 0...4, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
                let b = (0..<Int.random(in: 0...3, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
                return (a, b)
            }
            let expected = keys.sorted { $0 < $1 }
            let got = ByteOrder.sortedIndices(keys).map { keys[$0] }
            #expect(got.map(\.0) == expected.map(\.0))
            #expect(got.map(\.1) == expected.map(\.1))
        }
    }

    @Test func aShorterIDSortsBeforeItsExtensionWhateverTheHost() {
        let keys = [("abc", "A"), ("ab", "Z"), ("ab", "B")]
        #expect(ByteOrder.sortedIndices(keys) == [2, 1, 0])
        #expect(ByteOrder.sortedIndices([]) == [])
        #expect(ByteOrder.sortedIndices([("x", "y")]) == [0])
    }
}
