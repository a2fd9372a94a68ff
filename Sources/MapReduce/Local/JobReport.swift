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
    }

    public var job: String
    public var maps: Int
    public var reduces: Int
    public var elapsedSeconds: Double
    public var counters: Counters
    public var attempts: [Attempt]

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
