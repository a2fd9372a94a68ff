/// One reduce task attempt to run: a partition and the map output segments to merge.
public struct ReduceTask: Hashable, Sendable, Codable {
    /// The attempt; its task number is the partition.
    public var id: AttemptID
    /// This partition's segment of every map output.
    public var inputs: [ReduceInput]

    /// Makes attempt `id` of the reduce over `inputs`.
    public init(id: AttemptID, inputs: [ReduceInput]) {
        self.id = id
        self.inputs = inputs
    }

    /// The partition this task reduces.
    public var partition: Int { self.id.task }

    /// Where this attempt writes its output before it is committed.
    public func attemptOutputPath(in outputDirectory: String) -> String {
        "\(Self.attemptOutputDirectory(for: self.id, in: outputDirectory))/\(Self.partFileName(self.partition))"
    }

    /// The directory of reduce attempt `attempt`'s output, `_temporary/<attempt>`: all it writes in the output directory.
    public static func attemptOutputDirectory(for attempt: AttemptID, in outputDirectory: String) -> String {
        "\(outputDirectory)/_temporary/\(attempt)"
    }

    /// `part-r-00002`.
    public static func partFileName(_ partition: Int) -> String {
        "part-r-\(AttemptID.pad(partition))"
    }
}

/// User code that threw while reducing one key: which key, and the error.
public struct KeyFailure: Error, CustomStringConvertible {
    /// The key, as its type describes it, or its encoding in hex if it does not decode.
    public var key: String
    /// The error the reducer threw.
    public var underlying: any Error

    /// Makes the failure of the reducer on `key` with `underlying`.
    public init(key: String, underlying: any Error) {
        self.key = key
        self.underlying = underlying
    }

    /// `key`, the key and the error.
    public var description: String { "key \(self.key): \(self.underlying)" }
}

/// What a finished reduce task attempt produced.
public struct ReduceTaskResult: Hashable, Sendable, Codable {
    /// The attempt's output file, to be committed.
    public var outputPath: String
    /// The attempt's counters.
    public var counters: Counters

    /// Makes the result of an attempt that wrote `outputPath`.
    public init(outputPath: String, counters: Counters) {
        self.outputPath = outputPath
        self.counters = counters
    }
}

extension ReduceTask {
    /// Runs this attempt of job `J`'s reducer over the merge of its inputs;
    /// `control` stops it (throwing `AttemptCancelled`) at the next value.
    @inlinable public func run<J: Job>(_ job: J.Type, settings: TaskSettings, control: AttemptControl) throws -> ReduceTaskResult {
        let outputPath = self.attemptOutputPath(in: settings.outputDirectory)
        defer { FileSystem.removeTree(self.mergeDirectory(in: settings.workDirectory)) }
        let (groups, shuffled) = try self.openInputs(settings: settings, control: control, groupPrefixLength: J.grouping.prefixLength)
        var context = try ReduceContext(
            parameters: settings.parameters, attempt: self.id, outputPath: outputPath, format: J.outputFormat)
        var reducer = J.Reduce()
        try reducer.begin(context: &context)
        var groupCount = 0
        while try groups.nextGroup() {
            groupCount += 1
            do {
                try reducer.reduce(encodedKey: groups.groupKey, values: ReduceValues(groups), context: &context)
            } catch let error as RecordDecodingError {
                throw error
            } catch {
                // A reducer that threw because its values ended early was stopped, not wrong.
                if control.isCancelled { throw AttemptCancelled() }
                throw KeyFailure(key: Self.describe(J.Map.Key.self, encoded: groups.groupKey), underlying: error)
            }
            if let failure = groups.failure ?? context.failure { throw failure }
        }
        try reducer.end(context: &context)
        try context.endRecords()
        var counters = shuffled
        counters.add(.reduceInputGroups, groupCount)
        counters.add(.reduceInputRecords, groups.recordCount)
        counters.add(.reduceOutputRecords, context.outputRecords)
        counters.add(.reduceOutputBytes, Int(context.outputBytes))
        try context.counters.checkAmounts()
        counters.merge(context.counters)
        try context.close()
        return ReduceTaskResult(outputPath: outputPath, counters: counters)
    }

    /// A key for an error message: decoded, or its bytes in hex when it does not decode.
    @usableFromInline static func describe<Key: KeyCodable>(_ type: Key.Type, encoded: UnsafeRawBufferPointer) -> String {
        do {
            return String(describing: try Key.decodeKey(encoded))
        } catch {
            return encoded.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    /// Opens this partition's segment of every input for merging, checked
    /// against `control` at every record, and makes the attempt's output
    /// directory; counts the bytes to shuffle. With more sorted runs than the
    /// merge factor, merges some of them into intermediate files first.
    @usableFromInline func openInputs(
        settings: TaskSettings, control: AttemptControl,
        groupPrefixLength: ((UnsafeRawBufferPointer) throws(RecordDecodingError) -> Int)? = nil
    ) throws -> (GroupedRecords, Counters) {
        var counters = Counters()
        for input in self.inputs {
            counters.add(.reduceShuffleBytes, Int(input.segment.length))
            counters.add(.reduceShuffleRawBytes, Int(input.segment.rawLength))
        }
        let directory = self.mergeDirectory(in: settings.workDirectory)
        var files = 0
        let inputs = try MergePasses.reduce(
            self.inputs.filter { $0.segment.records > 0 }, factor: settings.mergeFactor, weight: \.segment.runs
        ) { run in
            if files == 0 { try FileSystem.makeDirectory(directory, access: .ownerOnly, withParents: false) }
            files += 1
            let merged = try SpillMerger.merge(
                run, into: "\(directory)/merge\(files)", compressionLevel: settings.compressionLevel, control: control)
            for case .file(let path) in run.map(\.source) where path.hasPrefix("\(directory)/") { try FileSystem.remove(path) }
            return merged
        }
        let cursors = try inputs.flatMap(SegmentCursor.open)
        // Only the attempt's own directory is made: once the job has committed
        // (and removed `_temporary`), a late attempt has nowhere to write.
        try FileSystem.makeDirectory(Self.attemptOutputDirectory(for: self.id, in: settings.outputDirectory), access: .ownerOnly, withParents: false)
        let groups = GroupedRecords(RecordMerger(cursors), control: control, groupPrefixLength: groupPrefixLength)
        return (groups, counters)
    }

    /// Where this attempt's merge passes write their intermediate files, in
    /// the work directory; removed when the attempt ends.
    @usableFromInline func mergeDirectory(in workDirectory: String) -> String {
        "\(workDirectory)/\(self.id).merges"
    }
}
