import MapReduce
/// The jobs and chains this executable was built with, for the commands to find by name.
enum JobRegistry {
    /// What `--job NAME` picks: a job, or a chain of jobs.
    enum Entry: Sendable {
        case job(AnyJob)
        case chain(AnyChain)

        var name: String {
            switch self {
            case .job(let job): job.name
            case .chain(let chain): chain.name
            }
        }

        var parameters: [JobParameter] {
            switch self {
            case .job(let job): job.parameters
            case .chain(let chain): chain.parameters
            }
        }
    }

    /// Every job's and chain's parameters, with their types and defaults, for `--help`.
    static var parametersHelp: String {
        self.entries.withLock { $0 }.filter { !$0.parameters.isEmpty }.map { entry in
            let lines = entry.parameters.map { parameter in
                let kind = parameter.type ?? "text"
                let given = parameter.defaultValue.map { "default: \($0)" } ?? "required"
                let help = parameter.help.isEmpty ? "" : "\(parameter.help) "
                return "  --param \(parameter.name)=VALUE\n        \(help)(\(kind); \(given))"
            }
            return "Parameters of \(entry.name):\n" + lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    private static let entries = Locked<[Entry]>([])

    static func register(jobs: [AnyJob], chains: [AnyChain]) {
        self.entries.withLock { $0 = jobs.map(Entry.job) + chains.map(Entry.chain) }
    }

    /// Every job, those of chains included, for a worker to find the one its master names.
    static var allJobs: [AnyJob] {
        self.entries.withLock { entries in
            entries.flatMap { entry -> [AnyJob] in
                switch entry {
                case .job(let job): [job]
                case .chain(let chain): chain.jobs
                }
            }
        }
    }

    /// The job or chain called `name`, or the only one when `name` is nil.
    static func entry(named name: String?) throws(JobError) -> Entry {
        let entries = self.entries.withLock { $0 }
        let names = entries.map(\.name).joined(separator: ", ")
        if let name {
            guard let entry = entries.first(where: { $0.name == name }) else {
                throw JobError("no job named \(name) (this executable has: \(names))")
            }
            return entry
        }
        guard entries.count == 1 else {
            throw JobError("this executable has several jobs; choose one with --job (\(names))")
        }
        return entries[0]
    }
}
