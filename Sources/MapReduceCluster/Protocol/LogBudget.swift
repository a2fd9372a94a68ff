/// How many lines of one kind a process logs: the first few of each
/// interval, and then, with the first line of a later interval, how many
/// were left out. A flood of bad connections costs a few lines, not one each.
struct LogBudget {
    enum Decision: Equatable {
        /// Log this line, and say that `leftOut` lines before it were not logged.
        case log(leftOut: Int)
        /// Leave this line out.
        case leaveOut
    }

    let linesPerInterval: Int
    let interval: Duration
    private var intervalStart: ContinuousClock.Instant?
    private var logged = 0
    private var leftOut = 0

    init(linesPerInterval: Int, interval: Duration) {
        self.linesPerInterval = linesPerInterval
        self.interval = interval
    }

    /// Decides on a line to be logged at `now`.
    mutating func spend(at now: ContinuousClock.Instant) -> Decision {
        if let start = self.intervalStart, now - start < self.interval {
            guard self.logged < self.linesPerInterval else {
                self.leftOut += 1
                return .leaveOut
            }
            self.logged += 1
            return .log(leftOut: 0)
        }
        defer { self.leftOut = 0 }
        self.intervalStart = now
        self.logged = 1
        return .log(leftOut: self.leftOut)
    }
}
