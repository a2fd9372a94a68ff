import ArgumentParser
import MapReduce

/// The options `run` (and later `master`) take to describe one job run.
struct JobOptions: ParsableArguments {
    @Option(help: "The job to run, when the executable has several.")
    var job: String?

    @Option(help: "The number of reduce tasks and output files (default: the job's).")
    var reducers: Int?

    @Option(help: "The directory to write part-r-NNNNN files, _job.json and _SUCCESS to.")
    var output: String

    @Flag(help: "Replace the output of an earlier run in the output directory.")
    var overwrite = false

    @Option(
        help: """
            The size of input splits, one map task each: bytes, or with K, M or G. \
            (default: 64M for a job with a combiner, else half the sort buffer)
            """)
    var splitSize: ByteCount?

    @Option(help: "The largest input file a job that reads whole files accepts: bytes, or with K, M or G.")
    var maxWholeFile = ByteCount(WholeFileInput.defaultMaxFileSize)

    @Option(help: "Memory for buffering each map task's output before it spills, in MiB.")
    var sortBufferMb = 64

    @Option(help: "zlib level for intermediate files: 0 (store) to 9 (smallest).")
    var compressionLevel = 1

    @Option(help: "The most sorted spills or map outputs one merge reads at once; more are merged in passes.")
    var mergeFactor = TaskSettings.defaultMergeFactor

    @Flag(help: "Run without the job's combiner, if it has one.")
    var noCombiner = false

    @Option(name: .customLong("param"), help: ArgumentHelp("A job parameter, handed to every task.", valueName: "name=value"))
    var parameters: [String] = []

    @Option(name: .customLong("input"), help: ArgumentHelp("A named input, for jobs whose inputs have mappers of their own.", valueName: "name=path"))
    var namedInputs: [String] = []

    @Argument(help: "Input files, directories (read recursively) and globs.")
    var inputs: [String] = []

    /// The run these options describe.
    func configuration() throws(JobError) -> JobConfiguration {
        var configuration = JobConfiguration(inputs: self.inputs, outputDirectory: self.output)
        configuration.reducers = self.reducers
        configuration.overwrite = self.overwrite
        configuration.splitSize = self.splitSize?.bytes
        configuration.maxWholeFile = self.maxWholeFile.bytes
        configuration.sortBufferMB = self.sortBufferMb
        configuration.compressionLevel = self.compressionLevel
        configuration.mergeFactor = self.mergeFactor
        configuration.combinerDisabled = self.noCombiner
        for parameter in self.parameters {
            let (name, value) = try Self.split(parameter, option: "--param")
            configuration.parameters[name] = value
        }
        for input in self.namedInputs {
            let (name, path) = try Self.split(input, option: "--input")
            configuration.namedInputs[name, default: []].append(path)
        }
        return configuration
    }

    /// Splits `name=value` at its first `=`.
    private static func split(_ text: String, option: String) throws(JobError) -> (String, String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw JobError("\(option) takes name=value, not \(text)")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }
}
