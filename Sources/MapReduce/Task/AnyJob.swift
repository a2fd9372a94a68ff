/// A job with its types erased, so that an executable can hold several
/// and pick one by name. Made in the job's own module, where the generic
/// task code is specialized for the job's types.
public struct AnyJob: Sendable {
    public let name: String
    public let defaultReducers: Int
    public let parameters: [JobParameter]
    /// Checks parameter values before the job starts.
    public let validate: @Sendable (JobParameters) throws -> Void
    /// Cuts input files into splits the way the job's input format does.
    public let splits: @Sendable (_ files: [InputFile], _ splitSize: Int64) -> [InputSplit]
    public let runMapTask: @Sendable (MapTask, TaskSettings) throws -> MapTaskResult
    public let runReduceTask: @Sendable (ReduceTask, TaskSettings) throws -> ReduceTaskResult

    @inlinable public init<J: Job>(_ job: J.Type) {
        self.name = J.name
        self.defaultReducers = J.defaultReducers
        self.parameters = J.parameters
        self.validate = { try J.validate($0) }
        self.splits = { J.Map.Input.splits(of: $0, splitSize: $1) }
        self.runMapTask = { try $0.run(J.self, settings: $1) }
        self.runReduceTask = { try $0.run(J.self, settings: $1) }
    }
}
