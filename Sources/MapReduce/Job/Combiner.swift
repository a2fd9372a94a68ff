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
        self.combine = combine
        self.isSum = false
    }

    init(sum combine: @escaping @Sendable (inout Value, Value) -> Void) {
        self.combine = combine
        self.isSum = true
    }

    /// Folds `next` into `value`: in place for a sum of a known numeric
    /// type (the check folds away when the code is specialized), else
    /// through the closure.
    @inlinable @inline(__always) func fold(_ value: UnsafeMutablePointer<Value>, _ next: Value) {
        if self.isSum {
            if Value.self == Int.self { return Self.add(value, next, as: Int.self) }
            if Value.self == Int64.self { return Self.add(value, next, as: Int64.self) }
            if Value.self == Double.self { return Self.add(value, next, as: Double.self) }
        }
        self.combine(&value.pointee, next)
    }

    @inlinable @inline(__always) static func add<Number: AdditiveArithmetic>(
        _ value: UnsafeMutablePointer<Value>, _ next: Value, as: Number.Type
    ) {
        let addend = unsafeBitCast(next, to: Number.self)
        UnsafeMutableRawPointer(value).assumingMemoryBound(to: Number.self).pointee += addend
    }
}

extension Combiner where Value: AdditiveArithmetic {
    /// Sums the values. For `Int`, `Int64` and `Double` the map side adds in
    /// place (overflow of the integers traps, as `+=` does).
    public static var sum: Combiner<Value> { Combiner(sum: { $0 += $1 }) }
}
