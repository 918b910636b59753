/// Binary search in `eastAsianWideRanges`.
func isEastAsianWide(_ value: UInt32) -> Bool {
    if value < 0x1100 { return false }
    var low = 0
    var high = eastAsianWideRanges.count - 1
    while low <= high {
        let mid = (low + high) / 2
        let range = eastAsianWideRanges[mid]
        if value < range.lowerBound {
            high = mid - 1
        } else if value > range.upperBound {
            low = mid + 1
        } else {
            return true
        }
    }
    return false
}
