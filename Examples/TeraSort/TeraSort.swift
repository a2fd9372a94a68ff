import MapReduce

/// TeraSort: sorts 100-byte binary records by their first 10 bytes.
///
/// Input is fixed-length records (see `datagen teragen`), split on record
/// boundaries. A total-order partitioner built from a sample of the input's
/// keys sends each key range to one reduce task, so the part files,
/// concatenated in order, are globally sorted. Output is the records
/// themselves, raw: no tab, no newline. Check it with `datagen teravalidate`.
struct TeraSort: Job {
    static var partitioner: Partitioner<Bytes> { .totalOrder(samples: 100_000) }

    enum RecordBytes: RecordLength {
        static let bytes = 100
    }

    struct Map: Mapper {
        typealias Input = FixedLengthInput<RecordBytes>

        mutating func map(_ record: FixedLengthRecord, context: inout MapContext<Bytes, Bytes>) {
            let bytes = record.bytes
            context.emit(key: bytes.extracting(..<10), value: bytes.extracting(10...))
        }
    }

    /// Writes each record back as it came, from the merge's bytes.
    struct Reduce: RawReducer {
        typealias Key = Bytes
        typealias Value = Bytes

        mutating func reduce(rawKey: UnsafeRawBufferPointer, values: ReduceValues<Bytes>, context: inout ReduceContext) {
            var values = values
            while let rest = values.nextEncoded() { context.write(raw: rawKey, rest) }
        }
    }
}
