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

    @Option(help: "The size of input splits, one map task each: bytes, or with K, M or G.")
    var splitSize = ByteCount(64 << 20)

    @Option(help: "Memory for buffering each map task's output before it spills, in MiB.")
    var sortBufferMb = 64

    @Option(help: "zlib level for intermediate files: 0 (store) to 9 (smallest).")
    var compressionLevel = 1

    @Option(name: .customLong("param"), help: ArgumentHelp("A job parameter, handed to every task.", valueName: "name=value"))
    var parameters: [String] = []

    @Argument(help: "Input files, directories (read recursively) and globs.")
    var inputs: [String] = []

    /// The run these options describe.
    func configuration() throws(JobError) -> JobConfiguration {
        var configuration = JobConfiguration(inputs: self.inputs, outputDirectory: self.output)
        configuration.reducers = self.reducers
        configuration.overwrite = self.overwrite
        configuration.splitSize = self.splitSize.bytes
        configuration.sortBufferMB = self.sortBufferMb
        configuration.compressionLevel = self.compressionLevel
        for parameter in self.parameters {
            guard let equals = parameter.firstIndex(of: "="), equals != parameter.startIndex else {
                throw JobError("--param takes name=value, not \(parameter)")
            }
            configuration.parameters[String(parameter[..<equals])] = String(parameter[parameter.index(after: equals)...])
        }
        return configuration
    }
}
