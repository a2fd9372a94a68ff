import Foundation

/// What a finished job did: its counters and every attempt's timing; saved as `_job.json`.
public struct JobReport: Hashable, Sendable, Codable {
    /// One task attempt's record.
    public struct Attempt: Hashable, Sendable, Codable {
        public var id: String
        /// Which process ran it.
        public var worker: String
        /// Seconds from the job's start to the attempt's start.
        public var startSeconds: Double
        public var durationSeconds: Double
        public var succeeded: Bool

        public init(id: String, worker: String, startSeconds: Double, durationSeconds: Double, succeeded: Bool) {
            self.id = id
            self.worker = worker
            self.startSeconds = startSeconds
            self.durationSeconds = durationSeconds
            self.succeeded = succeeded
        }
    }

    public var job: String
    public var maps: Int
    public var reduces: Int
    public var elapsedSeconds: Double
    public var counters: Counters
    public var attempts: [Attempt]

    public init(job: String, maps: Int, reduces: Int, elapsedSeconds: Double, counters: Counters, attempts: [Attempt]) {
        self.job = job
        self.maps = maps
        self.reduces = reduces
        self.elapsedSeconds = elapsedSeconds
        self.counters = counters
        self.attempts = attempts
    }

    /// The report as pretty-printed JSON, for `_job.json`.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    /// The counters as Hadoop prints them, one per line.
    public var countersText: String {
        var lines = ["Counters:"]
        for counter in FrameworkCounter.allCases {
            if let value = self.counters.framework[counter.rawValue] { lines.append("    \(counter.rawValue)=\(value)") }
        }
        if !self.counters.user.isEmpty {
            lines.append("  \(self.job):")
            for (name, value) in self.counters.user.sorted(by: { $0.key < $1.key }) { lines.append("    \(name)=\(value)") }
        }
        return lines.joined(separator: "\n")
    }
}
