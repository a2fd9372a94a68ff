/// Decides which reduce task (partition) a map output key goes to.
public struct Partitioner<Key: KeyCodable>: Sendable {
    @usableFromInline enum Kind: Sendable {
        case hash
        case custom(@Sendable (Key, Int) -> Int)
    }

    @usableFromInline let kind: Kind

    /// `StableHash` of the key's encoding modulo the number of partitions: the default.
    public static var hash: Self { Self(kind: .hash) }

    /// Partitions with your own function, which must return a number in `0..<partitions`.
    public static func custom(_ partition: @escaping @Sendable (_ key: Key, _ partitions: Int) -> Int) -> Self {
        Self(kind: .custom(partition))
    }
}
