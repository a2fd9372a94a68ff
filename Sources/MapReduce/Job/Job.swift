/// A MapReduce job: its mapper, reducer, and the settings it is run with.
///
/// ```swift
/// struct WordCount: Job {
///     static var combiner: Combiner<Int>? { .sum }
///
///     struct Map: Mapper {
///         mutating func map(_ line: Line, context: inout MapContext<String, Int>) {
///             line.words.forEach { context.emit($0, 1) }
///         }
///     }
///
///     struct Reduce: Reducer {
///         mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
///             context.write(key, values.reduce(0, +))
///         }
///     }
/// }
/// ```
public protocol Job: SendableMetatype {
    /// The mapper, which reads every input but the named ones of `inputs`.
    associatedtype Map: Mapper
    /// The reducer, whose key and value types are the mapper's.
    associatedtype Reduce: Reducer where Reduce.Key == Map.Key, Reduce.Value == Map.Value
    /// The job's `--param` settings as typed properties; by default none.
    associatedtype Parameters: ParameterSet = NoParameters

    /// The job's name on the command line; by default the type's name, lowercased.
    static var name: String { get }
    /// The number of reduce tasks when `--reducers` is not given; by default
    /// nil: one per worker slot of the cluster (see `JobConfiguration.slots`).
    static var defaultReducers: Int? { get }
    /// The `--param` settings the job reads; others are refused. By default those of `Parameters`.
    static var parameters: [JobParameter] { get }
    /// How the job declares its combiner: `Combiner<Value>?` or `Combiner<Value>`, inferred.
    associatedtype DeclaredCombiner: CombinerDeclaration = Combiner<Map.Value>? where DeclaredCombiner.Value == Map.Value
    /// The map-side combiner, if the job has one; by default none. Declared with or without the
    /// `?` (`static var combiner: Combiner<Int> { .sum }`), it is the job's combiner either way.
    static var combiner: DeclaredCombiner { get }
    /// Which reduce task each key goes to; by default a stable hash.
    static var partitioner: Partitioner<Map.Key> { get }
    /// Which keys one `reduce` call gets; by default equal keys. `.byFirst`
    /// groups a `KeyPair` by its first part, for a secondary sort.
    static var grouping: Grouping<Map.Key> { get }

    /// What the reducers write: text lines by default, or `.keyValue(K.self, V.self)` records
    /// for the next job of a chain to read as typed input (`KeyValueInput<K, V>`).
    static var outputFormat: OutputFormat { get }

    /// Inputs read by mappers of their own (Hadoop's MultipleInputs), given
    /// on the command line as `--input NAME=PATH`; by default none, and every
    /// input is read by `Map`.
    static var inputs: [NamedInput<Map.Key, Map.Value>] { get }

    /// Checks the parameters before any task runs, so that a bad one is one
    /// clear error at the start rather than failed attempts (those of `Parameters`
    /// are parsed and checked before this is called); by default accepts all.
    static func validate(_ parameters: JobParameters) throws
}

extension Job {
    /// The type's name, lowercased.
    public static var name: String { String(describing: Self.self).lowercased() }
    /// nil: one reduce task per worker slot.
    public static var defaultReducers: Int? { nil }
    /// The parameters declared by `Parameters`.
    public static var parameters: [JobParameter] { Parameters.declared }
    /// `Partitioner.hash`, a stable hash of the key.
    public static var partitioner: Partitioner<Map.Key> { .hash }
    /// `Grouping.wholeKey`: equal keys.
    public static var grouping: Grouping<Map.Key> { .wholeKey }
    /// None: `Map` reads every input.
    public static var inputs: [NamedInput<Map.Key, Map.Value>] { [] }
    /// `OutputFormat.text`: lines of text.
    public static var outputFormat: OutputFormat { .text }
    /// Accepts all parameters.
    public static func validate(_ parameters: JobParameters) throws {}
}

extension Job {
    /// nil: no combiner.
    public static var combiner: Combiner<Map.Value>? { nil }
}
