/// Folds one map output value into another with the same key, on the map
/// side, before the shuffle (the paper's combiner; Spark's reduceByKey).
///
/// The function must be associative and commutative: the framework applies
/// it in any grouping and order, as records arrive and again when spills
/// are merged. For a sum, use `Combiner.sum`: the map side adds `Int`,
/// `Int64` and `Double` values in place, without calling a closure per record.
public struct Combiner<Value>: Sendable {
    /// Folds the second value into the first.
    public let combine: @Sendable (inout Value, Value) -> Void
    /// Whether the fold is a sum, which the map side applies without the closure.
    @usableFromInline let isSum: Bool

    /// A combiner that folds with `combine`, called once per folded record.
    public init(_ combine: @escaping @Sendable (inout Value, Value) -> Void) {
        self.init(combine, isSum: false)
    }

    init(_ combine: @escaping @Sendable (inout Value, Value) -> Void, isSum: Bool) {
        self.combine = combine
        self.isSum = isSum
    }

    /// What the combiner is, for the job's report: `sum` or `custom`.
    @usableFromInline var summary: String { self.isSum ? "sum" : "custom" }

    /// Whether the map side adds values in place rather than calling `combine`.
    @inlinable var sumsInPlace: Bool {
        self.isSum && (Value.self == Int.self || Value.self == Int64.self || Value.self == Double.self)
    }

    /// Adds `next` to `value` in place for a value of a known numeric type
    /// (the check folds away when the code is specialized); returns whether it did.
    @inlinable @inline(__always) static func addInPlace(_ value: UnsafeMutablePointer<Value>, _ next: Value) -> Bool {
        if Value.self == Int.self { return add(value, next, as: Int.self) }
        if Value.self == Int64.self { return add(value, next, as: Int64.self) }
        if Value.self == Double.self { return add(value, next, as: Double.self) }
        return false
    }

    @inlinable @inline(__always) static func add<Number: AdditiveArithmetic>(
        _ value: UnsafeMutablePointer<Value>, _ next: Value, as: Number.Type
    ) -> Bool {
        let addend = unsafeBitCast(next, to: Number.self)
        UnsafeMutableRawPointer(value).assumingMemoryBound(to: Number.self).pointee += addend
        return true
    }
}

extension Combiner where Value: AdditiveArithmetic & SendableMetatype {
    /// Sums the values. For `Int`, `Int64` and `Double` the map side adds in
    /// place (overflow of the integers traps, as `+=` does).
    public static var sum: Combiner<Value> { Combiner({ $0 += $1 }, isSum: true) }
}

/// What a job's `combiner` may be declared as: `Combiner<Value>?` or `Combiner<Value>`.
public protocol CombinerDeclaration: Sendable {
    /// The type of the values the combiner folds.
    associatedtype Value
    /// The combiner declared, nil for none.
    var declared: Combiner<Value>? { get }
}

extension Combiner: CombinerDeclaration {
    /// The combiner itself.
    public var declared: Combiner<Value>? { self }
}

extension Optional: CombinerDeclaration where Wrapped: CombinerDeclaration {
    /// The wrapped combiner, or nil for none.
    public var declared: Combiner<Wrapped.Value>? { self?.declared }
}
