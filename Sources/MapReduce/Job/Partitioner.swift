/// Decides which reduce task (partition) a map output key goes to.
public struct Partitioner<Key: KeyCodable>: Sendable {
    @usableFromInline enum Kind: Sendable {
        case hash
        case custom(@Sendable (Key, Int) -> Int)
        case totalOrder(samples: Int)
    }

    @usableFromInline let kind: Kind
    /// The length of the part of an encoded key that decides its partition (the
    /// job's grouping); nil for the whole key.
    @usableFromInline var keyPrefixLength: (@Sendable (UnsafeRawBufferPointer) throws(RecordDecodingError) -> Int)?

    @usableFromInline init(kind: Kind) {
        self.kind = kind
    }

    /// This partitioner placing keys by the part of them that `grouping` compares.
    @usableFromInline func grouped(by grouping: Grouping<Key>) -> Self {
        var grouped = self
        grouped.keyPrefixLength = grouping.prefixLength
        return grouped
    }

    /// What the partitioner is, for the job's report.
    @usableFromInline var summary: String {
        let kind =
            switch self.kind {
            case .hash: "hash"
            case .custom: "custom"
            case .totalOrder(let samples): "total order (\(samples) samples)"
            }
        return self.keyPrefixLength == nil ? kind : "\(kind) of the key's first part"
    }

    /// `StableHash` of the key's encoding modulo the number of partitions: the default.
    public static var hash: Self { Self(kind: .hash) }

    /// Ranges of keys, so that every key of partition `i` sorts before every
    /// key of partition `i + 1` and the part files, concatenated in order, are
    /// globally sorted (Hadoop's TotalOrderPartitioner). The ranges' bounds are
    /// quantiles of the keys the mapper emits for about `samples` records,
    /// read from splits spread over the input before the job starts.
    public static func totalOrder(samples: Int = 10_000) -> Self {
        Self(kind: .totalOrder(samples: samples))
    }

    /// Partitions with your own function, which must return a number in `0..<partitions`.
    public static func custom(_ partition: @escaping @Sendable (_ key: Key, _ partitions: Int) -> Int) -> Self {
        Self(kind: .custom(partition))
    }
}
