import CMallocInfo

/// What the C library's heap holds now (glibc `mallinfo2`, every arena): read for the dashboard's
/// stats (`LATTICETOP_STATS` `heap` lines), to tell memory in use from memory kept free in the
/// heap (fragmentation). Nil where the C library does not say (not glibc, or glibc before 2.33).
public struct HeapFigures: Sendable, Equatable {
    /// Bytes the heaps took from the system (large mmapped blocks not counted).
    public var system: Int
    /// Bytes in allocated chunks of the heaps.
    public var inUse: Int
    /// Bytes in free chunks of the heaps.
    public var free: Int
    /// Bytes in large blocks mmapped on their own (each freed at once when freed).
    public var mmapped: Int

    /// The figures now (walks the heaps' free lists under their locks: for a reading every few
    /// seconds, not every frame).
    public static func now() -> HeapFigures? {
        var system = 0, inUse = 0, free = 0, mmapped = 0
        guard latticetop_heap_figures(&system, &inUse, &free, &mmapped) != 0 else { return nil }
        return HeapFigures(system: system, inUse: inUse, free: free, mmapped: mmapped)
    }
}
