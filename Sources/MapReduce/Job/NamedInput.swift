/// An input with a mapper of its own, for jobs that read several kinds of
/// input (Hadoop's MultipleInputs), such as a join of two tables:
///
/// ```swift
/// static var inputs: [NamedInput<Bytes, JoinRow>] {
///     [NamedInput("users", UserRows.self), NamedInput("orders", OrderRows.self)]
/// }
/// ```
public struct NamedInput<Key: KeyCodable, Value: ValueCodable>: Sendable {
    /// The name that `--input NAME=PATH` gives paths to.
    public let name: String
    /// Cuts files into splits the way the mapper's input format does.
    public let splits: @Sendable (_ files: [InputFile], _ splitSize: Int64) throws -> [InputSplit]
    /// Whether the mapper reads each file whole, as one record.
    public let readsWholeFiles: Bool
    /// Runs a map task with this input's mapper.
    public let runMapTask: @Sendable (MapTask, Partitioner<Key>, Combiner<Value>?, TaskSettings, AttemptControl) throws -> MapTaskResult

    /// The input `name`, read by `mapper` with its own input format.
    @inlinable public init<M: Mapper>(_ name: String, _ mapper: M.Type) where M.Key == Key, M.Value == Value {
        self.name = name
        self.splits = { try M.Input.splits(of: $0, splitSize: $1) }
        self.readsWholeFiles = M.Input.readsWholeFiles
        self.runMapTask = { task, partitioner, combiner, settings, control in
            try task.run(M.self, partitioner: partitioner, combiner: combiner, settings: settings, control: control)
        }
    }
}
