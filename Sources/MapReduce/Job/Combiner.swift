/// Folds one map output value into another with the same key, on the map
/// side, before the shuffle (the paper's combiner; Spark's reduceByKey).
///
/// The function must be associative and commutative: the framework applies
/// it in any grouping and order, as records arrive and again when spills
/// are merged. For a sum: `Combiner(+=)`.
public struct Combiner<Value>: Sendable {
    /// Folds the second value into the first.
    public let combine: @Sendable (inout Value, Value) -> Void

    public init(_ combine: @escaping @Sendable (inout Value, Value) -> Void) {
        self.combine = combine
    }
}
