/// The output of a map attempt of a map-only job (`--reducers 0`): what the
/// mapper emitted, in order, as text lines `key<TAB>value`, in the attempt's
/// part file under `_temporary`, for its task commit to take.
@usableFromInline final class MapOnlyOutput {
    @usableFromInline let path: String
    private var file: FileWriter?

    /// Creates the part file of map attempt `attempt` in the output directory.
    @usableFromInline init(attempt: AttemptID, outputDirectory: String) throws {
        let directory = ReduceTask.attemptOutputDirectory(for: attempt, in: outputDirectory)
        try FileSystem.makeDirectory(directory, access: .ownerOnly, withParents: false)
        self.path = "\(directory)/\(attempt.partFileName)"
        self.file = try FileWriter(path: self.path, access: .umask)
    }

    /// Writes the records of `buffer`, in the order they were emitted, as text.
    @usableFromInline func write<Key: KeyCodable, Value: ValueCodable>(_ buffer: borrowing SortBuffer, as _: Key.Type, _: Value.Type) throws {
        try buffer.forEach { _, encodedKey, encodedValue in
            guard let key = try Key.decodeKey(encodedKey) as? any TextOutput,
                let value = try Value.decodeValue(encodedValue) as? any TextOutput
            else { throw JobError("a map-only job's keys and values must be TextOutput") }
            try self.file!.write { line in
                key.writeText(to: &line)
                line.append(UInt8(ascii: "\t"))
                value.writeText(to: &line)
                line.append(UInt8(ascii: "\n"))
            }
        }
    }

    /// Flushes the part file, makes it durable and closes it; returns its size.
    @usableFromInline func close() throws -> Int64 {
        guard let file = self.file.take() else { return 0 }
        let size = file.offset
        try file.syncAndClose()
        return size
    }
}
