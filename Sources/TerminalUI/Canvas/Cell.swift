import Synchronization

/// One terminal cell: its (already sanitised) grapheme, how many columns the grapheme covers, and its style.
///
/// Plain data, with no reference inside: a grapheme of several scalars is kept once in
/// `GraphemeClusters` and the cell holds its number. A frame fills, copies and compares its
/// 12,000 cells (200×60) as bytes, without a retain, a release or a look at an enum's case for
/// each (at 10,000 hosts that was most of drawing a frame).
public struct Cell: Hashable, Sendable {
    /// A scalar's value; `Cell.continuationCode`; or `Cell.clusterBit` with a number in
    /// `GraphemeClusters`.
    @usableFromInline var code: UInt32
    /// 1, 2 for the left half of a wide grapheme, 0 for its continuation.
    public internal(set) var width: UInt8
    public var style: Style

    @usableFromInline static let continuationCode: UInt32 = 0xFFFF_FFFF
    @usableFromInline static let clusterBit: UInt32 = 0x8000_0000

    init(content: CellContent, width: UInt8, style: Style) {
        self.code = Self.code(of: content)
        self.width = width
        self.style = style
    }

    /// What the cell holds.
    public internal(set) var content: CellContent {
        get {
            if code == Self.continuationCode { return .continuation }
            if code & Self.clusterBit != 0 { return .cluster(GraphemeClusters.character(code & ~Self.clusterBit)) }
            return .scalar(Unicode.Scalar(code)!)
        }
        set { code = Self.code(of: newValue) }
    }

    static func code(of content: CellContent) -> UInt32 {
        switch content {
        case .scalar(let scalar): return scalar.value
        case .continuation: return continuationCode
        case .cluster(let character):
            // Past the table's capacity a new cluster is drawn as U+FFFD (see `GraphemeClusters`).
            return GraphemeClusters.number(of: character).map { clusterBit | $0 } ?? 0xFFFD
        }
    }

    /// A space in `style`.
    public static func blank(_ style: Style = .plain) -> Cell {
        Cell(content: .scalar(" "), width: 1, style: style)
    }

    public var isContinuation: Bool { code == Self.continuationCode }

    /// The grapheme; a continuation cell reads as empty.
    public var grapheme: String {
        switch content {
        case .scalar(let scalar): String(Character(scalar))
        case .cluster(let character): String(character)
        case .continuation: ""
        }
    }

    /// Appends a combining grapheme (width 0) to this cell's grapheme.
    mutating func attach(_ mark: Grapheme) {
        var text: String
        switch content {
        case .scalar(let scalar): text = String(Character(scalar))
        case .cluster(let character): text = String(character)
        case .continuation: return
        }
        guard text.unicodeScalars.count < GraphemeScanner.maxScalars else { return }
        text.append(mark.character)
        if let first = text.first, text.count == 1 {
            content = .cluster(first)
        }
    }
}

/// The graphemes of several scalars (a base with marks, an emoji sequence, a flag) that cells
/// hold, each kept once and numbered, for the life of the process. They are few — the ones a
/// lattice's names and values use — but text from the lattice is not trusted, so at most
/// `ClusterTable.capacity` are kept (a few MiB); a new one past that is drawn as U+FFFD.
enum GraphemeClusters {
    private static let table = Mutex(ClusterTable(capacity: ClusterTable.capacity))

    static func number(of character: Character) -> UInt32? { table.withLock { $0.number(of: character) } }

    static func character(_ number: UInt32) -> Character { table.withLock { $0.character(number) } }
}

/// Numbers for characters, the first one seen first; none once `capacity` are numbered.
struct ClusterTable: Sendable {
    static let capacity = 1 << 16
    let capacity: Int
    private var numbers: [Character: UInt32] = [:]
    private var characters: [Character] = []

    init(capacity: Int) { self.capacity = capacity }

    mutating func number(of character: Character) -> UInt32? {
        if let number = numbers[character] { return number }
        guard characters.count < capacity else { return nil }
        let number = UInt32(characters.count)
        characters.append(character)
        numbers[character] = number
        return number
    }

    func character(_ number: UInt32) -> Character { characters[Int(number)] }
}
