import MapReduce

/// What a job's journal says of the masters that ran the job before: what a
/// master that takes it over (`master --recover`) starts from.
public struct JobRecovery: Sendable {
    /// A finished attempt, and the run of the master that started it (1 the first).
    public struct Finished: Sendable {
        /// What the journal keeps of the attempt.
        public var task: FinishedTask
        /// The run of the master that started it.
        public var masterRun: Int
    }

    /// The name the first master gave itself, which the workers' map outputs carry.
    public var master: String
    /// This master's run: one more than the last journaled.
    public var masterRun: Int
    /// For each task, by its attempt number 0, the highest attempt number handed out.
    public var launched: [AttemptID: Int] = [:]
    /// Each map's latest successful attempt, whose output a worker that comes back may still serve.
    public var maps: [Int: Finished] = [:]
    /// The task-committed attempts, by task: reduces (a map-only job's maps) that never run again.
    public var committed: [AttemptID: Finished] = [:]
    /// The shuffle addresses of workers excluded from the job.
    public var excluded: Set<String> = []
    /// Whether the job commit had begun.
    public var commitStarted = false
    /// The journal's readable bytes.
    public var length: Int64
    /// The bytes after them, which a crash left unreadable.
    public var ignoredBytes: Int64

    /// The job the journal in `outputDirectory`'s `_temporary` was written for.
    public static func journaledJob(in outputDirectory: String) throws -> JobIdentity {
        try Self.journal(in: outputDirectory).job
    }

    /// Reads and replays the journal in the output of `plan`, which must be of the same job.
    public static func read(for plan: JobPlan) throws -> JobRecovery {
        let journal = try Self.journal(in: plan.committer.directory)
        if let difference = journal.job.difference(from: try JobIdentity(plan)) {
            throw JobError("the journal \(PathBytes.display(journal.path)) is of another job: \(difference)")
        }
        return try JobRecovery(journal.contents, master: journal.master, path: journal.path)
    }

    /// The journal in `outputDirectory`'s `_temporary`: its path, what it holds, and its job and master.
    private static func journal(
        in outputDirectory: String
    ) throws -> (path: String, contents: JournalFile.Contents, job: JobIdentity, master: String) {
        let path = "\(outputDirectory)/_temporary/\(JournalFile.name)"
        guard FileSystem.exists(path) else {
            throw JobError("\(PathBytes.display(outputDirectory)) holds no job journal, so there is nothing to recover")
        }
        let contents = try JournalFile.read(at: path)
        guard case .job(let job, let master)? = contents.records.first else {
            throw JobError("the journal \(PathBytes.display(path)) holds no job record, so there is nothing to recover")
        }
        return (path, contents, job, master)
    }

    /// Replays `contents`, a journal whose first record names `master`.
    private init(_ contents: JournalFile.Contents, master: String, path: String) throws {
        self.master = master
        self.masterRun = 1
        self.length = contents.length
        self.ignoredBytes = contents.ignored
        var run = 0
        for record in contents.records.dropFirst() {
            switch record {
            case .job:
                throw JobError("the journal \(PathBytes.display(path)) names its job twice")
            case .masterStarted(let number):
                run = number
                self.masterRun = max(self.masterRun, number + 1)
            case .launched(let attempt):
                self.launch(attempt)
            case .mapSucceeded(let task):
                self.launch(task.attempt)
                self.maps[task.attempt.task] = Finished(task: task, masterRun: run)
            case .taskCommitted(let task):
                self.launch(task.attempt)
                self.committed[Self.task(of: task.attempt)] = Finished(task: task, masterRun: run)
            case .workerExcluded(let address):
                self.excluded.insert(address)
            case .commitStarted:
                self.commitStarted = true
            }
        }
    }

    private mutating func launch(_ attempt: AttemptID) {
        let task = Self.task(of: attempt)
        self.launched[task] = max(self.launched[task] ?? 0, attempt.attempt)
    }

    /// The task of `attempt`, as attempt number 0.
    static func task(of attempt: AttemptID) -> AttemptID {
        AttemptID(attempt.kind, task: attempt.task, attempt: 0, job: attempt.job)
    }
}
