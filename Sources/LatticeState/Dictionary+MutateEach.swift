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

    /// Removes the entries `shouldRemove` picks.
    mutating func removeAll(where shouldRemove: (Key, Value) -> Bool) {
        var doomed: [Key] = []
        for (key, value) in self where shouldRemove(key, value) { doomed.append(key) }
        for key in doomed { removeValue(forKey: key) }
    }
}
