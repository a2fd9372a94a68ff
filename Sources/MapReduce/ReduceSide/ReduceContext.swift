/// What a reducer works with: `write`, its task's counters and parameters.
public struct ReduceContext: ~Copyable {
    /// The job's `--param` settings.
    public let parameters: JobParameters
    /// The attempt running: its partition and attempt number.
    public let attempt: AttemptID
    /// The job's own counters; increment them with `counters.increment("name")`.
    public var counters = Counters()
    private var file: FileWriter
    /// The first error met while writing, thrown after the `reduce` call returns.
    @usableFromInline var failure: (any Error)?
    @usableFromInline private(set) var outputRecords = 0
    /// Bytes written to the output file so far.
    @usableFromInline var outputBytes: Int64 { self.file.offset }

    @usableFromInline init(parameters: JobParameters, attempt: AttemptID, outputPath: String) throws {
        self.parameters = parameters
        self.attempt = attempt
        self.file = try FileWriter(path: outputPath, access: .umask)
    }

    /// Writes the output line `key<TAB>value`.
    public mutating func write(_ key: some TextOutput, _ value: some TextOutput) {
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
        self.outputRecords += 1
        do {
            try self.file.write(key)
            try self.file.write(value)
        } catch {
            self.failure = self.failure ?? error
        }
    }

    /// Flushes the output file, makes it durable, and closes it.
    @usableFromInline consuming func close() throws {
        if let failure = self.failure { throw failure }
        try self.file.syncAndClose()
    }
}
