/// Takes a map task's emitted records: encodes them into the sort buffer
/// (or, for a job with a combiner, folds them into a hash table by key),
/// spills when the memory budget is used up, and makes the map output.
@usableFromInline struct MapOutputCollector<Key: KeyCodable, Value: ValueCodable>: ~Copyable {
    @usableFromInline let partitions: Int
    @usableFromInline let partitioner: Partitioner<Key>
    @usableFromInline let combiner: Combiner<Value>?
    /// Whether there is a combiner, and whether it sums in place: read per
    /// record without copying (and so retaining) the combiner's closure.
    @usableFromInline let hasCombiner: Bool
    @usableFromInline let combinerSumsInPlace: Bool
    @usableFromInline let memoryLimit: Int
    /// Its arena has room for the whole budget from the start, so that it is never copied to grow.
    @usableFromInline var buffer: SortBuffer
    @usableFromInline var table = CombiningTable<Value>()
    /// Records of raw keys not folded into `table` yet (see `foldPending`).
    @usableFromInline var pending = PendingRecords<Value>()
    @usableFromInline var scratch = ByteWriter()
    /// Room for encoding one value, for counting output bytes.
    @usableFromInline var valueScratch = ByteWriter()
    @usableFromInline var spills: SpillFiles
    /// The first error met while collecting, thrown after the `map` call returns.
    @usableFromInline var failure: (any Error)?
    @usableFromInline var outputRecords = 0
    @usableFromInline var outputBytes = 0
    @usableFromInline var combineInputRecords = 0
    @usableFromInline var combineOutputRecords = 0
    /// For a total-order partitioner: the encoded keys that start partitions 1 to R-1.
    @usableFromInline let boundaries: [[UInt8]]
    /// When positive, the collector only gathers up to this many encoded keys, for sampling.
    @usableFromInline var sampleLimit = 0
    @usableFromInline var samples: [[UInt8]] = []
    /// For a map-only job: where the buffer goes, as text, instead of into sorted spills.
    @usableFromInline var mapOnly: MapOnlyOutput?

    @usableFromInline init(settings: TaskSettings, attemptName: String, partitioner: Partitioner<Key>, combiner: Combiner<Value>?) {
        self.partitions = settings.partitions
        self.partitioner = partitioner
        self.combiner = combiner
        self.hasCombiner = combiner != nil
        self.combinerSumsInPlace = combiner?.sumsInPlace ?? false
        self.memoryLimit = settings.sortBufferBytes
        self.buffer = SortBuffer(arenaCapacity: settings.sortBufferBytes)
        self.boundaries = settings.partitionBoundaries
        self.spills = SpillFiles(
            directory: settings.workDirectory, attemptName: attemptName, partitions: settings.partitions,
            compressionLevel: settings.compressionLevel, mergeFactor: settings.mergeFactor)
    }

    /// Collects one record whose key `encodeKey` appends in its key encoding
    /// and whose value `encodeValue` appends in its value encoding; `key`
    /// makes the typed key, for custom partitioners only, and `value` the
    /// typed value, for the combiner only.
    @inlinable mutating func collect(
        encodeKey: (inout ByteWriter) -> Void, key: () -> Key, encodeValue: (inout ByteWriter) -> Void, value: () -> Value
    ) {
        if self.sampleLimit > 0 {
            self.scratch.removeAll()
            encodeKey(&self.scratch)
            if self.samples.count < self.sampleLimit { self.samples.append(Array(self.scratch.bytes)) }
            return
        }
        if self.hasCombiner {
            self.scratch.removeAll()
            encodeKey(&self.scratch)
            let encodedKey = UnsafeRawBufferPointer(start: self.scratch.base, count: self.scratch.count)
            return self.combine(encodedKey, readable: self.scratch.capacity, value: value())
        } else {
            let start = self.buffer.beginRecord()
            encodeKey(&self.buffer.arena)
            let keyLength = self.buffer.arena.count &- start &- SortBuffer.headerSize
            encodeValue(&self.buffer.arena)
            let valueLength = self.buffer.arena.count &- start &- SortBuffer.headerSize &- keyLength
            let encodedKey = self.buffer.key(ofRecordAt: start, keyLength: keyLength)
            let partition: Int
            do {
                partition = try self.partition(of: encodedKey, key: key)
            } catch {
                return self.reject(start: start, error)
            }
            guard self.accepts(partition) else { return self.buffer.arena.truncate(to: start) }
            self.buffer.endRecord(at: start, keyLength: keyLength, valueLength: valueLength, partition: partition)
            self.outputBytes &+= keyLength &+ valueLength
            if self.buffer.bytesUsed >= self.memoryLimit { self.spillBuffer() }
        }
        self.outputRecords &+= 1
    }

    /// Collects one record whose key's encoding is the bytes `rawKey` (as a
    /// `String`'s is its UTF-8), of which `readable` bytes from the start may be read.
    @inlinable mutating func collect(rawKey: UnsafeRawBufferPointer, readable: Int, key: () -> Key, value: Value) {
        guard self.hasCombiner, self.sampleLimit == 0 else {
            return self.collect(
                encodeKey: { $0.append(rawKey) }, key: key, encodeValue: { value.encodeValue(to: &$0) }, value: { value })
        }
        self.combine(rawKey, readable: readable, value: value)
    }

    /// Counts one record for the combiner and folds it into the table: a short
    /// key after the few before it (see `PendingRecords`), a long one at once.
    @inlinable @inline(__always) mutating func combine(_ encodedKey: UnsafeRawBufferPointer, readable: Int, value: Value) {
        self.outputBytes &+= encodedKey.count &+ value.encodedValueCount(scratch: &self.valueScratch)
        self.outputRecords &+= 1
        self.combineInputRecords &+= 1
        let lookup = KeyLookup(encodedKey, readable: readable)
        guard encodedKey.count <= KeyLookup.inlineBytes else {
            self.foldPending()
            return self.fold(lookup, value)
        }
        self.table.prefetch(lookup)
        self.pending.append(lookup, value)
        if self.pending.isFull { self.foldPending() }
    }

    /// Folds the records waiting in `pending` into the table, in the order they came.
    @inlinable mutating func foldPending() {
        for index in 0..<self.pending.count {
            self.fold(self.pending.lookup(at: index), (self.pending.values + index).move())
        }
        self.pending.count = 0
    }

    /// Folds one record into the table; partitions are computed as it is drained, once per key.
    @inlinable @inline(__always) mutating func fold(_ lookup: KeyLookup, _ value: Value) {
        let (found, emptySlot) = self.table.find(lookup)
        if let found {
            if self.combinerSumsInPlace, Combiner<Value>.addInPlace(found, value) { return }
            self.combiner.unsafelyUnwrapped.combine(&found.pointee, value)
            return
        }
        self.table.insert(lookup, at: emptySlot, value: value)
        if self.table.bytesUsed >= self.memoryLimit / 2 { self.spillTable() }
    }

    /// Drops the record begun at `start`, whose key could not be placed; the task fails once `map` returns.
    @inlinable mutating func reject(start: Int, _ error: RecordDecodingError) {
        self.buffer.arena.truncate(to: start)
        if self.failure == nil { self.failure = error }
    }

    /// Whether `partition` is one of the job's; if not, the task fails once `map` returns.
    @inlinable mutating func accepts(_ partition: Int) -> Bool {
        guard partition < 0 || partition >= self.partitions else { return true }
        if self.failure == nil {
            self.failure = JobError("the partitioner put a key in partition \(partition), outside 0..<\(self.partitions)")
        }
        return false
    }

    /// The partition of the record whose key's encoding is `wholeKey`; `key` makes the typed
    /// key for a custom partitioner. With a grouping, only the part of the key it compares counts.
    @inlinable func partition(
        of wholeKey: UnsafeRawBufferPointer, key: () throws(RecordDecodingError) -> Key
    ) throws(RecordDecodingError) -> Int {
        var encodedKey = wholeKey
        if let prefixLength = self.partitioner.keyPrefixLength {
            encodedKey = UnsafeRawBufferPointer(rebasing: wholeKey[..<(try prefixLength(wholeKey))])
        }
        switch self.partitioner.kind {
        case .hash:
            return Int(StableHash.hash(encodedKey) % UInt64(self.partitions))
        case .custom(let partition):
            return partition(try key(), self.partitions)
        case .totalOrder:
            // The number of boundaries at or below the key.
            var low = 0
            var high = self.boundaries.count
            while low < high {
                let middle = (low + high) / 2
                let order = self.boundaries[middle].withUnsafeBytes { compareBytes($0, encodedKey) }
                if order <= 0 { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// Moves the aggregated records into the sort buffer, each with its partition.
    @usableFromInline mutating func drainTable() {
        for index in 0..<self.table.capacity {
            guard let slot = self.table.occupiedSlot(index) else { continue }
            let key = self.table.storedKey(slot)
            let value = self.table.value(slot).move()
            let partition: Int
            do {
                partition = try self.partition(of: key, key: { () throws(RecordDecodingError) in try Key.decodeKey(key) })
            } catch {
                if self.failure == nil { self.failure = error }
                continue
            }
            guard self.accepts(partition) else { continue }
            self.scratch.removeAll()
            value.encodeValue(to: &self.scratch)
            self.buffer.append(partition: partition, key: key, value: self.scratch.bytes)
            self.combineOutputRecords += 1
        }
        self.table.removeAllMoved()
    }

    @usableFromInline mutating func spillTable() {
        self.drainTable()
        self.spillBuffer()
    }

    @usableFromInline mutating func spillBuffer() {
        guard self.failure == nil else { return }
        if let mapOnly = self.mapOnly {
            do {
                try mapOnly.write(self.buffer, as: Key.self, Value.self)
                self.buffer.removeAll()
            } catch {
                self.failure = error
            }
            return
        }
        do {
            try self.spills.spill(&self.buffer)
        } catch {
            self.failure = error
        }
    }

    /// Spills what is left, merges the spills and returns the map output and
    /// the counters; `control` stops the merge at its next record.
    @inlinable mutating func finish(control: AttemptControl) throws -> (MapOutput, Counters) {
        self.foldPending()
        if let failure = self.failure { throw failure }
        if self.combiner != nil { self.drainTable() }
        var counters = Counters()
        if let mapOnly = self.mapOnly {
            self.spillBuffer()
            if let failure = self.failure { throw failure }
            // The part file is what this map hands on, as a map output is otherwise.
            counters.add(.mapOutputMaterializedBytes, Int(try mapOnly.close()))
            counters.add(.mapOutputRecords, self.outputRecords)
            counters.add(.mapOutputBytes, self.outputBytes)
            return (MapOutput(path: mapOnly.path, index: SpillIndex(segments: [])), counters)
        }
        let output = try self.spills.finish(&self.buffer, combine: self.combiner.map(Self.byteCombiner), control: control)
        counters.add(.mapOutputRecords, self.outputRecords)
        counters.add(.mapOutputBytes, self.outputBytes)
        if self.combiner != nil {
            counters.add(.combineInputRecords, self.combineInputRecords)
            counters.add(.combineOutputRecords, self.combineOutputRecords)
        }
        counters.add(.spilledRecords, self.spills.spilledRecords)
        counters.add(.spillFiles, self.spills.spillCount)
        counters.add(.mapOutputMaterializedBytes, Int(output.index.segments.reduce(0) { $0 + $1.length }))
        return (output, counters)
    }

    /// The combiner over encoded values, for merging spills.
    @inlinable static func byteCombiner(_ combiner: Combiner<Value>) -> (inout ByteWriter, UnsafeRawBufferPointer) throws -> Void {
        { accumulated, next in
            var value = try Value.decodeValue(accumulated.bytes)
            combiner.combine(&value, try Value.decodeValue(next))
            accumulated.removeAll()
            value.encodeValue(to: &accumulated)
        }
    }
}
