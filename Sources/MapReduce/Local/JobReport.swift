import Foundation

/// What a finished job did: its counters and every attempt's timing; saved as `_job.json`.
public struct JobReport: Hashable, Sendable, Codable {
    /// One task attempt's record.
    public struct Attempt: Hashable, Sendable, Codable {
        /// Whether an attempt runs still, or how it ended.
        public enum State: String, Hashable, Sendable, Codable, CaseIterable {
            /// Running; or ended: succeeded, failed, or killed by the master (a backup that lost, or on a lost worker).
            case running, succeeded, failed, killed
        }

        /// The attempt's name, such as `m-00003-a1`.
        public var id: String
        /// `map` or `reduce`.
        public var phase: String
        /// Which process ran it.
        public var worker: String
        /// Seconds from the job's start to the attempt's start.
        public var startSeconds: Double
        /// How long it ran, or has run so far.
        public var durationSeconds: Double
        /// Whether it succeeded.
        public var succeeded: Bool
        /// Whether it runs still, or how it ended.
        public var state: State
        /// Whether the scheduler started it as a backup of a straggling attempt.
        public var backup: Bool
        /// For a failed attempt, its error.
        public var error: String?
        /// Input bytes: the split's for a map, the shuffled segments' for a reduce; known once it succeeded.
        public var bytesIn: Int64?
        /// Output bytes: the map output's, or the part file's; known once it succeeded.
        public var bytesOut: Int64?
        /// Which run of the master started it: 1, or one more after each restart (see
        /// `master --recover`). Its `startSeconds` count from that run's start.
        public var masterRun: Int

        /// Makes the record of attempt `id` on `worker`, with its times in seconds, its state and what it read and wrote.
        public init(
            id: AttemptID, worker: String, startSeconds: Double, durationSeconds: Double, state: State, backup: Bool = false,
            error: String? = nil, bytes: (in: Int64, out: Int64)? = nil, masterRun: Int = 1
        ) {
            self.id = id.description
            self.phase = id.kind == .map ? "map" : "reduce"
            self.worker = worker
            self.startSeconds = startSeconds
            self.durationSeconds = durationSeconds
            self.succeeded = state == .succeeded
            self.state = state
            self.backup = backup
            self.error = error
            self.bytesIn = bytes?.in
            self.bytesOut = bytes?.out
            self.masterRun = masterRun
        }

        /// What `counters`, an attempt's own, say it read and wrote: the split's bytes and the map
        /// output's for a map; the shuffled segments' and the part file's for a reduce.
        public static func bytes(_ counters: Counters, of id: AttemptID) -> (in: Int64, out: Int64) {
            id.kind == .map
                ? (counters[.mapInputBytes], counters[.mapOutputMaterializedBytes])
                : (counters[.reduceShuffleBytes], counters[.reduceOutputBytes])
        }
    }

    /// How a job runs: what it was given and what it has, as `run` and `master` print at its start.
    public struct Setup: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The number of map tasks.
        public var maps: Int
        /// The number of reduce tasks.
        public var reduces: Int
        /// `sum`, `custom`, `none`, `off (--no-combiner)` or `none (map-only)`.
        public var combiner: String
        /// `hash`, `custom`, `total order (N samples)` or `none (map-only)`; with a grouping by
        /// the key's first part, followed by ` of the key's first part`.
        public var partitioner: String
        /// Every parameter, given or defaulted.
        public var parameters: [String: String]

        /// Makes a setup from its parts.
        public init(maps: Int = 0, reduces: Int = 0, combiner: String = "", partitioner: String = "", parameters: [String: String] = [:]) {
            self.maps = maps
            self.reduces = reduces
            self.combiner = combiner
            self.partitioner = partitioner
            self.parameters = parameters
        }

        /// `16 map tasks, 2 reduce tasks, combiner sum, partitioner hash, parameters: none`.
        public var description: String {
            let parameters = self.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return "\(self.maps) map tasks, \(self.reduces) reduce tasks, combiner \(self.combiner), partitioner \(self.partitioner), "
                + "parameters: \(parameters.isEmpty ? "none" : parameters)"
        }
    }

    /// The job's name.
    public var job: String
    /// How the job ran.
    public var setup: Setup
    /// The number of map tasks.
    public var maps: Int
    /// The number of reduce tasks.
    public var reduces: Int
    /// Seconds from the job's start to its end.
    public var elapsedSeconds: Double
    /// The job's counters: each task's successful attempt's, added up, and the scheduler's own.
    public var counters: Counters
    /// Every attempt, by start time.
    public var attempts: [Attempt]
    /// The paths the job read, as given.
    public var inputs: [String]
    /// The output directory.
    public var output: String
    /// The processes that ran the attempts, as the master last saw them.
    public var workers: [JobSnapshot.Worker]

    /// Makes a report from its parts.
    public init(
        job: String, maps: Int, reduces: Int, elapsedSeconds: Double, counters: Counters, attempts: [Attempt],
        inputs: [String] = [], output: String = "", workers: [JobSnapshot.Worker] = [], setup: Setup = Setup()
    ) {
        self.job = job
        self.setup = setup
        self.maps = maps
        self.reduces = reduces
        self.elapsedSeconds = elapsedSeconds
        self.counters = counters
        self.attempts = attempts
        self.inputs = inputs
        self.output = output
        self.workers = workers
    }

    /// The files the job commit writes beside the part files: `_job.json` and `_report.html`.
    public func documents() throws -> [(name: String, bytes: [UInt8])] {
        let json = try self.json()
        return [("_job.json", json), ("_report.html", JobPage.report(json: json))]
    }

    /// The report as pretty-printed JSON, for `_job.json`.
    ///
    /// The fields come in key order, one per line, and each attempt and worker on a line of
    /// its own. Each is encoded alone: encoding the whole report at once would hold a tree of
    /// every attempt's fields in memory, about 600 bytes an attempt.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var json = Array("{\n".utf8)
        func field(_ key: String, _ value: some Encodable) throws {
            json.append(contentsOf: "\"\(key)\": ".utf8)
            json.append(contentsOf: try encoder.encode(value))
            json.append(contentsOf: ",\n".utf8)
        }
        func list(_ key: String, _ elements: [some Encodable]) throws {
            json.append(contentsOf: "\"\(key)\": [".utf8)
            for (index, element) in elements.enumerated() {
                json.append(contentsOf: (index == 0 ? "\n  " : ",\n  ").utf8)
                json.append(contentsOf: try encoder.encode(element))
            }
            json.append(contentsOf: "\n],\n".utf8)
        }
        try list("attempts", self.attempts)
        try field("counters", self.counters)
        try field("elapsedSeconds", self.elapsedSeconds)
        try field("inputs", self.inputs)
        try field("job", self.job)
        try field("maps", self.maps)
        try field("output", self.output)
        try field("reduces", self.reduces)
        try field("setup", self.setup)
        try list("workers", self.workers)
        json.removeLast(2)
        json.append(contentsOf: "\n}\n".utf8)
        return json
    }

    /// The counters as Hadoop prints them, one per line.
    public var countersText: String {
        var lines = ["Counters:"]
        for counter in FrameworkCounter.allCases {
            if let value = self.counters.framework[counter.rawValue] { lines.append("    \(counter.rawValue)=\(value)") }
        }
        if !self.counters.user.isEmpty || !self.counters.amounts.isEmpty {
            lines.append("  \(self.job):")
            let own = self.counters.user.map { ($0.key, "\($0.value)") } + self.counters.amounts.map { ($0.key, "\($0.value)") }
            for (name, value) in own.sorted(by: { $0.0 < $1.0 }) { lines.append("    \(name)=\(value)") }
        }
        return lines.joined(separator: "\n")
    }
}
