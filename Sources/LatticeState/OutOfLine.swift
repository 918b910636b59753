/// Keeps a value out of line: in a heap box shared by copies until one of them changes it
/// (copy on write). A record whose large or rarely changing parts are kept like this is small
/// inline, so its dictionary's slots (spare ones included) are small, and copying the record
/// (a snapshot of the model, a read through a dictionary) copies a reference instead of the
/// value. Equal when the boxes are the same or hold equal values.
@propertyWrapper
struct OutOfLine<Value: Sendable & Equatable>: Sendable, Equatable {
    /// Only ever changed while uniquely referenced, so it is never changed from two threads.
    private final class Box: @unchecked Sendable {
        var value: Value

        init(_ value: Value) {
            self.value = value
        }
    }

    private var box: Box

    init(wrappedValue: Value) {
        box = Box(wrappedValue)
    }

    var wrappedValue: Value {
        // A borrow of the boxed value, not a copy of it: reading one field (`facts.ping?.stamp`,
        // `profile.friendlyName`) would otherwise copy the whole value, retaining and releasing
        // everything in it, on each read (the reducer and the Hosts rows read them dozens of
        // times a host).
        _read { yield box.value }
        set {
            if isKnownUniquelyReferenced(&box) {
                box.value = newValue
            } else {
                box = Box(newValue)
            }
        }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
            yield &box.value
        }
    }

    /// Whether `self` and `other` share one box (a copy neither changed since).
    func sharesStorage(with other: Self) -> Bool {
        box === other.box
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.box === rhs.box || lhs.box.value == rhs.box.value
    }
}

/// Facts most records never have (deletes, refusals, failures, events seen only when the
/// dashboard watched something start): kept together out of line, and only while one is set.
protocol RarelySet: Sendable, Equatable {
    init()
    /// Nothing set: no box is kept.
    var isEmpty: Bool { get }
}

/// A `RarelySet` value in a box that exists only while something in it is set: a record
/// without any of these facts pays one pointer for them, inline or in its facts box.
struct OutOfLineWhenSet<Value: RarelySet>: Sendable, Equatable {
    private var box: OutOfLine<Value>?

    init() {}

    /// One fact of the value, nil when nothing is set, without making an empty value to read
    /// it from (a fold reads a record's rare facts many times, and most records have none).
    func fact<T>(_ read: (Value) -> T?) -> T? {
        guard let box else { return nil }
        return read(box.wrappedValue)
    }

    /// The value (empty when nothing is set); setting an empty one drops the box.
    var value: Value {
        get { box?.wrappedValue ?? Value() }
        set {
            if newValue.isEmpty {
                box = nil
            } else if box != nil {
                box!.wrappedValue = newValue
            } else {
                box = OutOfLine(wrappedValue: newValue)
            }
        }
    }

    /// Whether a box is kept (something is set).
    var isKept: Bool { box != nil }
}

/// An optional value most records never have (a failed start, a refused put), kept out of line:
/// `nil` costs one null pointer inline instead of the value's whole size in every slot of the
/// record's table.
struct OutOfLineOptional<Value: Sendable & Equatable>: Sendable, Equatable {
    private var box: OutOfLine<Value>?

    init() {}

    var value: Value? {
        get { box?.wrappedValue }
        set { box = newValue.map { OutOfLine(wrappedValue: $0) } }
    }

    /// Whether a value is set (without copying it out).
    var isSet: Bool { box != nil }
}
