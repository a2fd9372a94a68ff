/// A job as it stands at one moment: what the master's web page shows, what
/// its `/api/v1/*` answers, and what `_report.html` keeps after the end.
public struct JobSnapshot: Hashable, Sendable, Codable {
    /// The job as a whole.
    public struct Overview: Hashable, Sendable, Codable {
        /// Whether the job runs still, or how it ended.
        public enum State: String, Hashable, Sendable, Codable {
            /// Running; or ended: succeeded or failed.
            case running, succeeded, failed
        }

        /// The job's name.
        public var name: String
        /// Whether it runs still, or how it ended.
        public var state: State
        /// Why it failed.
        public var error: String?
        /// The number of map tasks.
        public var maps: Int
        /// The map tasks done.
        public var mapsDone: Int
        /// The number of reduce tasks.
        public var reduces: Int
        /// The reduce tasks done.
        public var reducesDone: Int
        /// Seconds since the job started, or that it took.
        public var elapsedSeconds: Double
        /// Input bytes of the maps done.
        public var bytesRead: Int64
        /// The job's counters so far: each finished task's, added up, and the scheduler's own.
        public var counters: Counters
        /// The paths the job reads, as given.
        public var inputs: [String]
        /// The output directory.
        public var output: String
        /// Its combiner, partitioner and parameters.
        public var setup: JobReport.Setup

        /// Makes an overview from its parts.
        public init(
            name: String, state: State, error: String? = nil, maps: Int, mapsDone: Int, reduces: Int, reducesDone: Int,
            elapsedSeconds: Double, bytesRead: Int64, counters: Counters, inputs: [String], output: String, setup: JobReport.Setup
        ) {
            self.setup = setup
            self.name = name
            self.state = state
            self.error = error
            self.maps = maps
            self.mapsDone = mapsDone
            self.reduces = reduces
            self.reducesDone = reducesDone
            self.elapsedSeconds = elapsedSeconds
            self.bytesRead = bytesRead
            self.counters = counters
            self.inputs = inputs
            self.output = output
        }
    }

    /// One worker process, connected or gone.
    public struct Worker: Hashable, Sendable, Codable {
        /// Whether the worker is connected and given tasks.
        public enum State: String, Hashable, Sendable, Codable {
            /// Connected and given tasks.
            case alive
            /// Connected, but given no more of this job's tasks: it failed too many.
            case excluded
            /// Its connection closed or it stopped heartbeating.
            case lost
        }

        /// The worker's name, such as `w-1`.
        public var id: String
        /// The name of the host the worker runs on.
        public var host: String
        /// The worker's process id.
        public var processID: Int32
        /// Where it serves map outputs.
        public var shuffle: String
        /// How many tasks it runs at once.
        public var slots: Int
        /// Whether it is connected and given tasks.
        public var state: State
        /// Why it was excluded or lost.
        public var reason: String?
        /// The attempts it runs now.
        public var running: [String]
        /// Its attempts that succeeded.
        public var succeeded: Int
        /// Its attempts that failed.
        public var failed: Int
        /// Seconds since the master last heard from it, while connected.
        public var secondsSinceHeard: Double?

        /// Makes a worker's view from its parts.
        public init(
            id: String, host: String, processID: Int32, shuffle: String, slots: Int, state: State, reason: String? = nil,
            running: [String], succeeded: Int, failed: Int, secondsSinceHeard: Double?
        ) {
            self.id = id
            self.host = host
            self.processID = processID
            self.shuffle = shuffle
            self.slots = slots
            self.state = state
            self.reason = reason
            self.running = running
            self.succeeded = succeeded
            self.failed = failed
            self.secondsSinceHeard = secondsSinceHeard
        }
    }

    /// The job as a whole.
    public var job: Overview
    /// Every worker process, connected or gone.
    public var workers: [Worker]
    /// Every attempt, running or ended, by start time.
    public var attempts: [JobReport.Attempt]

    /// Makes a snapshot from its parts.
    public init(job: Overview, workers: [Worker], attempts: [JobReport.Attempt]) {
        self.job = job
        self.workers = workers
        self.attempts = attempts
    }
}
