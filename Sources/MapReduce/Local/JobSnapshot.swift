/// A job as it stands at one moment: what the master's web page shows, what
/// its `/api/v1/*` answers, and what `_report.html` keeps after the end.
public struct JobSnapshot: Hashable, Sendable, Codable {
    /// The job as a whole.
    public struct Overview: Hashable, Sendable, Codable {
        public enum State: String, Hashable, Sendable, Codable {
            case running, succeeded, failed
        }

        public var name: String
        public var state: State
        /// Why it failed.
        public var error: String?
        public var maps: Int
        public var mapsDone: Int
        public var reduces: Int
        public var reducesDone: Int
        public var elapsedSeconds: Double
        /// Input bytes of the maps done.
        public var bytesRead: Int64
        public var counters: Counters
        public var inputs: [String]
        public var output: String
        /// Its combiner, partitioner and parameters.
        public var setup: JobReport.Setup

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
        public enum State: String, Hashable, Sendable, Codable {
            /// Connected and given tasks.
            case alive
            /// Connected, but given no more of this job's tasks: it failed too many.
            case excluded
            /// Its connection closed or it stopped heartbeating.
            case lost
        }

        public var id: String
        /// Host name and process id.
        public var host: String
        public var processID: Int32
        /// Where it serves map outputs.
        public var shuffle: String
        public var slots: Int
        public var state: State
        /// Why it was excluded or lost.
        public var reason: String?
        /// The attempts it runs now.
        public var running: [String]
        public var succeeded: Int
        public var failed: Int
        /// Seconds since the master last heard from it, while connected.
        public var secondsSinceHeard: Double?

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

    public var job: Overview
    public var workers: [Worker]
    /// Every attempt, running or ended, by start time.
    public var attempts: [JobReport.Attempt]

    public init(job: Overview, workers: [Worker], attempts: [JobReport.Attempt]) {
        self.job = job
        self.workers = workers
        self.attempts = attempts
    }
}
