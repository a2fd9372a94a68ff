/// What a reducer works with: `write`, its task's counters and parameters.
public struct ReduceContext: ~Copyable {
    /// The job's `--param` settings.
    public let parameters: JobParameters
    /// The attempt running: its partition and attempt number.
    public let attempt: AttemptID
    /// The job's own counters; increment them with `counters.increment("name")`.
    public var counters = Counters()
    private var file: FileWriter
    /// For a job whose output is key-value records: the file's blocks.
    private var records: KeyValueBlocks
    /// Whether the job's output is key-value records, ended or not.
    private let writesRecords: Bool
    /// The first error met while writing, thrown after the `reduce` call returns.
    @usableFromInline var failure: (any Error)?
    @usableFromInline private(set) var outputRecords = 0
    /// Bytes written to the output file so far.
    @usableFromInline var outputBytes: Int64 { self.file.offset }

    @usableFromInline init(parameters: JobParameters, attempt: AttemptID, outputPath: String, format: OutputFormat = .text) throws {
        self.parameters = parameters
        self.attempt = attempt
        self.writesRecords = format.isKeyValue
        let header = KeyValueFile.header(of: format)
        var types: (key: ObjectIdentifier, value: ObjectIdentifier)?
        if case .keyValue(let key, let value, _, _) = format.kind { types = (key, value) }
        var file = try FileWriter(path: outputPath, access: .umask)
        try file.write(header.bytes)
        self.file = file
        self.records = KeyValueBlocks(types: types, headerLength: header.count)
    }

    /// Fails the task (once `reduce` returns) unless the job's output is text.
    private mutating func checkText() -> Bool {
        guard self.writesRecords else { return true }
        self.failure = self.failure ?? JobError("the job's output format is key-value records: write them with write(record:_:)")
        return false
    }

    /// Writes the output line `key<TAB>value`.
    public mutating func write(_ key: some TextOutput, _ value: some TextOutput) {
        guard self.checkText() else { return }
        self.outputRecords += 1
        do {
            try self.file.write { buffer in
                key.writeText(to: &buffer)
                buffer.append(UInt8(ascii: "\t"))
                value.writeText(to: &buffer)
                buffer.append(UInt8(ascii: "\n"))
            }
        } catch {
            self.failure = self.failure ?? error
        }
    }

    /// Writes `bytes` as they are, with no tab or newline: for binary output
    /// such as sorted fixed-length records.
    public mutating func write(raw bytes: some Sequence<UInt8>) {
        guard self.checkText() else { return }
        self.outputRecords += 1
        do {
            try self.file.write { $0.append(contentsOf: bytes) }
        } catch {
            self.failure = self.failure ?? error
        }
    }

    /// Writes a record's key bytes and then its value bytes, as they are:
    /// the raw output of a `RawReducer`, with no copy on the way.
    public mutating func write(raw key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
        guard self.checkText() else { return }
        self.outputRecords += 1
        do {
            try self.file.write(key)
            try self.file.write(value)
        } catch {
            self.failure = self.failure ?? error
        }
    }

    /// Writes one record of a job whose `outputFormat` is `.keyValue(Key.self, Value.self)`,
    /// for the next job of a chain to read with `KeyValueInput<Key, Value>`.
    public mutating func write<Key: KeyCodable, Value: ValueCodable>(record key: Key, _ value: Value) {
        guard let types = self.records.types, types.key == ObjectIdentifier(Key.self), types.value == ObjectIdentifier(Value.self) else {
            let declared = self.writesRecords ? "records of other types" : "text"
            self.failure = self.failure ?? JobError(
                "the reducer wrote a record of \(KeyValueFile.typeName(Key.self)) and \(KeyValueFile.typeName(Value.self)), but the job's output format is \(declared)")
            return
        }
        self.outputRecords += 1
        guard let block = self.records.append(key: key, value: value) else { return }
        do {
            try self.file.write(block)
        } catch {
            self.failure = self.failure ?? error
        }
    }

    /// Ends a key-value file: writes its last block, index and footer. Nothing can be written after.
    @usableFromInline mutating func endRecords() throws {
        guard self.records.types != nil else { return }
        try self.file.write(self.records.finish())
    }

    /// Flushes the output file, makes it durable, and closes it.
    @usableFromInline consuming func close() throws {
        if let failure = self.failure { throw failure }
        try self.endRecords()
        try self.file.syncAndClose()
    }
}
