extension Dictionary {
    /// Mutates every value in place. (Looping over `keys` and assigning through the subscript
    /// would hold a second reference to the storage and copy the whole dictionary.)
    mutating func mutateEachValue(_ body: (Key, inout Value) -> Void) {
        var index = startIndex
        while index != endIndex {
            body(keys[index], &values[index])
            formIndex(after: &index)
        }
    }

    /// Removes the entries `shouldRemove` picks. Each entry is read in place (by index), not
    /// copied out as a key-value pair: the clock's tick asks this of every component of every
    /// host each second, and a copy of a record retains each of its parts.
    mutating func removeAll(where shouldRemove: (Key, Value) -> Bool) {
        var doomed: [Key] = []
        var index = startIndex
        while index != endIndex {
            if shouldRemove(keys[index], values[index]) { doomed.append(keys[index]) }
            formIndex(after: &index)
        }
        for key in doomed { removeValue(forKey: key) }
    }
}
