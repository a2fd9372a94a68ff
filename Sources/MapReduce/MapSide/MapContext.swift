/// What a mapper works with: `emit`, its task's counters and parameters,
/// and the path of the file it reads.
public struct MapContext<Key: KeyCodable, Value: ValueCodable>: ~Copyable {
    /// The job's `--param` settings.
    public let parameters: JobParameters
    /// The path of the input file being read. A name that is not UTF-8 keeps its bytes as
    /// `PathBytes` describes; write `inputPathBytes` to print it as it is.
    public var inputPath: String { self.currentPath }
    /// The path of the input file being read, byte for byte.
    public var inputPathBytes: Bytes { Bytes(PathBytes.bytes(of: self.currentPath)) }
    @usableFromInline var currentPath: String
    /// The attempt running: its task number and attempt number.
    public let attempt: AttemptID
    /// The job's own counters; increment them with `counters.increment("name")`.
    public var counters = Counters()
    @usableFromInline var collector: MapOutputCollector<Key, Value>

    @usableFromInline init(
        parameters: JobParameters, inputPath: String, attempt: AttemptID, collector: consuming MapOutputCollector<Key, Value>
    ) {
        self.parameters = parameters
        self.currentPath = inputPath
        self.attempt = attempt
        self.collector = collector
    }

    /// Emits one key-value pair of map output.
    @inlinable public mutating func emit(_ key: Key, _ value: Value) {
        self.collector.collect(
            encodeKey: { key.encodeKey(to: &$0) }, key: { key }, encodeValue: { value.encodeValue(to: &$0) }, value: { value })
    }
}

extension MapContext where Key == String {
    /// Emits a word as a `String` key, straight from the line's bytes.
    @inlinable public mutating func emit(_ word: Word, _ value: Value) {
        self.collector.collect(rawKey: word.base, readable: word.readable, key: { String(decoding: word.base, as: UTF8.self) }, value: value)
    }
}

extension MapContext where Key == Bytes, Value == Bytes {
    /// Emits a key and a value of raw bytes, copied straight into the map
    /// output buffer: no `Bytes` is made unless a combiner or a custom
    /// partitioner asks for one.
    @inlinable public mutating func emit(key: Span<UInt8>, value: Span<UInt8>) {
        key.withUnsafeBytes { key in
            value.withUnsafeBytes { value in
                self.collector.collect(
                    encodeKey: { $0.append(key) }, key: { Bytes(key) }, encodeValue: { $0.append(value) }, value: { Bytes(value) })
            }
        }
    }
}
