/// A job with its types erased, so that an executable can hold several
/// and pick one by name. Made in the job's own module, where the generic
/// task code is specialized for the job's types.
public struct AnyJob: Sendable {
    /// The job's name, which `--job` picks it by.
    public let name: String
    /// The job's number of reduce tasks when a run gives none; nil for one per worker slot.
    public let defaultReducers: Int?
    /// Whether the job folds its map output with a combiner.
    public let hasCombiner: Bool
    /// What the job's combiner is (`sum` or `custom`), for the report; nil without one.
    public let combinerSummary: String?
    /// How the job partitions (`hash`, `custom`, `total order (N samples)`), for the report.
    public let partitionerSummary: String
    /// Whether the map output's keys and values can be written as text, as a map-only job writes them.
    public let mapOutputIsText: Bool
    /// Whether the reducers write key-value records rather than text.
    public let writesRecords: Bool
    /// The parameters the job declares.
    public let parameters: [JobParameter]
    /// The names of the job's inputs that have mappers of their own.
    public let inputNames: [String]
    /// Cuts the files of the named input into splits, marked with the input's name.
    public let namedSplits: @Sendable (_ input: String, _ files: [InputFile], _ splitSize: Int64) throws -> [InputSplit]
    /// Checks parameter values before the job starts.
    public let validate: @Sendable (JobParameters) throws -> Void
    /// Whether the mapper of the named input (nil: of the job's own input) reads each file whole.
    public let readsWholeFiles: @Sendable (_ input: String?) -> Bool
    /// Cuts input files into splits the way the job's input format does.
    public let splits: @Sendable (_ files: [InputFile], _ splitSize: Int64) throws -> [InputSplit]
    /// For a total-order partitioner: samples the input and returns the partition boundaries.
    public let sampleBoundaries: (@Sendable (_ splits: [InputSplit], _ partitions: Int, JobParameters) throws -> [[UInt8]])?
    /// Runs a map attempt; the control stops it at the next record.
    public let runMapTask: @Sendable (MapTask, TaskSettings, AttemptControl) throws -> MapTaskResult
    /// Runs a reduce attempt; the control stops it at the next value.
    public let runReduceTask: @Sendable (ReduceTask, TaskSettings, AttemptControl) throws -> ReduceTaskResult

    /// Erases `job`; the closures it keeps run the task code specialized for it.
    @inlinable public init<J: Job>(_ job: J.Type) {
        self.name = J.name
        self.defaultReducers = J.defaultReducers
        let combiner = J.combiner.declared
        self.hasCombiner = combiner != nil
        self.combinerSummary = combiner?.summary
        self.partitionerSummary = J.partitioner.grouped(by: J.grouping).summary
        self.mapOutputIsText = J.Map.Key.self is any TextOutput.Type && J.Map.Value.self is any TextOutput.Type
        self.writesRecords = J.outputFormat.isKeyValue
        self.parameters = J.parameters
        self.validate = {
            _ = try J.Parameters($0)
            try J.validate($0)
        }
        self.splits = { try J.Map.Input.splits(of: $0, splitSize: $1) }
        self.inputNames = J.inputs.map(\.name)
        self.readsWholeFiles = { name in
            guard let name else { return J.Map.Input.readsWholeFiles }
            return J.inputs.first { $0.name == name }?.readsWholeFiles ?? false
        }
        self.namedSplits = { name, files, splitSize in
            guard let input = J.inputs.first(where: { $0.name == name }) else { return [] }
            return try input.splits(files, splitSize).map { split in
                var split = split
                split.input = name
                return split
            }
        }
        if case .totalOrder(let samples) = J.partitioner.kind {
            self.sampleBoundaries = {
                try KeySampler.boundaries(J.self, splits: $0, partitions: $1, samples: samples, parameters: $2)
            }
        } else {
            self.sampleBoundaries = nil
        }
        self.runMapTask = { try $0.run(J.self, settings: $1, control: $2) }
        self.runReduceTask = { try $0.run(J.self, settings: $1, control: $2) }
    }
}
