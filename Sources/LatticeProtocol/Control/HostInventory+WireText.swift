/// A host's inventory as the one-line wire JSON `WireJSON.encode` makes of it (sorted keys,
/// unescaped slashes, no spaces), written directly: `latticetop get inventory -o jsonl` prints one
/// a host (10,000 at a big lattice), and Foundation's `JSONEncoder` spent most of that command's
/// time on them. Only what needs no more than copying is written here: a string or key with a
/// quote, a backslash or a control character, or a key that is not plain ASCII (whose order
/// `JSONEncoder` decides), makes it nil, and the caller encodes with `WireJSON`
/// (`HostInventoryWireTextTests` compares the two).
extension HostInventory {
    public var wireText: String? {
        var w = WireTextWriter()
        w.open()
        w.key("components")
        w.list(components) { w, c in w.component(c) }
        w.key("friendly_name")
        w.string(friendlyName)
        w.key("host_id")
        w.string(hostID)
        w.key("labels")
        w.map(labels)
        w.key("providers")
        w.list(providers) { w, p in w.provider(p) }
        w.key("uptime_human")
        w.string(uptimeHuman)
        w.key("uptime_seconds")
        w.number(uptimeSeconds)
        w.key("version")
        w.string(version)
        w.close()
        return w.text
    }
}

private struct WireTextWriter {
    private var bytes: [UInt8] = []
    private var declined = false
    /// Whether the next member of the object being written is its first.
    private var first = true

    init() { bytes.reserveCapacity(2048) }

    var text: String? { declined ? nil : String(decoding: bytes, as: UTF8.self) }

    mutating func open() {
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    mutating func key(_ key: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { declined = true }
            bytes.append(b)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func number<N: BinaryInteger>(_ n: N) {
        bytes.append(contentsOf: String(n).utf8)
    }

    mutating func list<T>(_ items: [T], _ element: (inout WireTextWriter, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A string map, keys in byte order (plain ASCII keys only: their order is `JSONEncoder`'s).
    mutating func map(_ map: [String: String]) {
        bytes.append(UInt8(ascii: "{"))
        let keys = map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (i, key) in keys.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            if key.utf8.contains(where: { $0 >= 0x80 }) { declined = true }
            string(key)
            bytes.append(UInt8(ascii: ":"))
            string(map[key]!)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func component(_ c: ComponentDescription) {
        open()
        if let annotations = c.annotations {
            key("annotations")
            map(annotations)
        }
        key("id")
        string(c.id)
        key("image_ref")
        string(c.imageRef)
        key("limits")
        if let limits = c.limits { map(limits) } else { bytes.append(contentsOf: "null".utf8) }
        key("max_instances")
        number(c.maxInstances)
        if let name = c.name {
            key("name")
            string(name)
        }
        key("revision")
        number(c.revision)
        close()
    }

    mutating func provider(_ p: ProviderDescription) {
        open()
        if let annotations = p.annotations {
            key("annotations")
            map(annotations)
        }
        key("id")
        string(p.id)
        if let imageRef = p.imageRef {
            key("image_ref")
            string(imageRef)
        }
        if let name = p.name {
            key("name")
            string(name)
        }
        key("revision")
        number(p.revision)
        close()
    }
}
