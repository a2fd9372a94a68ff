import MapReduce

/// Whom to believe when a reducer says it cannot fetch a map output. A
/// report counts only from the reduce attempt it names, running on the
/// worker that sent it, about the map's current output (every running
/// reduce attempt is told of it) that it has not fetched. One reducer's
/// word alone re-runs nothing: the map runs again when reduce attempts on
/// two different workers could not fetch its output, or when the master could not fetch it either (it checks the
/// output itself, as a reducer would, at the first report); a map whose
/// worker died runs again anyway. A reduce attempt that keeps reporting
/// outputs that are fine (another reducer fetched them, or the master's
/// check did) is the one that fails, charged as any failed attempt is.
extension Scheduler {
    /// Why a fetch failure report does not count, or nil if it does.
    func whyIgnored(fetchFailureOf map: AttemptID, by reduce: AttemptID, on id: WorkerID) -> String? {
        guard reduce.kind == .reduce, self.runningAttempt(reduce)?.worker == id else {
            return "the reduce attempt does not run on the sender"
        }
        guard map.kind == .map, self.isKnown(map), self.maps[map.task].done?.attempt == map else {
            return "the output is not the map's current one"
        }
        guard self.fetched[reduce]?.contains(map.task) != true else { return "the reduce attempt said it fetched that output" }
        return nil
    }

    mutating func fetchFailed(_ map: AttemptID, by reduce: AttemptID, on id: WorkerID, message: String, at now: Duration) {
        guard self.whyIgnored(fetchFailureOf: map, by: reduce, on: id) == nil, let holder = self.maps[map.task].done?.worker else {
            return
        }
        self.maps[map.task].output.failures[reduce, default: FetchFailures(worker: id)].count += 1
        let reporters = Set(self.maps[map.task].output.failures.values.map(\.worker))
        if reporters.count >= 2 {
            return self.rerunUnusable(map, because: message)
        }
        if self.maps[map.task].output.isFine(for: reduce) {
            return self.blameIfItKeepsFailing(reduce, at: now)
        }
        if self.maps[map.task].output.check == .notAsked {
            self.maps[map.task].output.check = .pending
            self.emit(.checkOutput(MapOutputAt(attempt: map, worker: holder), partition: reduce.task))
        }
    }

    /// The master's own fetch of `output` arrived intact (`problem` nil), or did not.
    mutating func outputChecked(_ output: MapOutputAt, problem: String?, at now: Duration) {
        guard output.attempt.kind == .map, self.isKnown(output.attempt) else { return }
        let task = output.attempt.task
        guard let done = self.maps[task].done, done.attempt == output.attempt, done.worker == output.worker,
            self.maps[task].output.check == .pending
        else { return }
        if let problem { return self.rerunUnusable(output.attempt, because: "the master could not fetch it either: \(problem)") }
        self.maps[task].output.check = .passed
        for reduce in self.maps[task].output.failures.keys.sorted() {
            self.blameIfItKeepsFailing(reduce, at: now)
        }
    }

    /// Reduce attempt `reduce` holds these maps' outputs now: they are fine, and reducers
    /// that keep saying they cannot fetch them may be to blame.
    mutating func outputsFetched(_ maps: [ClosedRange<Int>], by reduce: AttemptID, on id: WorkerID, at now: Duration) {
        guard self.runningAttempt(reduce)?.worker == id else { return }
        let ranges = Self.merged(maps, within: self.maps.count)
        for range in ranges { self.fetched[reduce]?.insert(contentsOf: range) }
        for map in ranges.joined() where self.maps[map].done != nil {
            self.maps[map].output.noteFetched(by: reduce)
            for reporter in self.maps[map].output.failures.keys.sorted() {
                self.blameIfItKeepsFailing(reporter, at: now)
            }
        }
    }

    /// `ranges` cut to task numbers below `count`, in order, overlapping and adjacent ones joined.
    static func merged(_ ranges: [ClosedRange<Int>], within count: Int) -> [ClosedRange<Int>] {
        var merged: [ClosedRange<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.upperBound >= 0 && range.lowerBound < count {
            let range = max(range.lowerBound, 0)...min(range.upperBound, count - 1)
            if let last = merged.last, range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// Fails running reduce attempt `reduce` if it has reported `fetchFailuresBeforeBlame`
    /// failures of outputs that are fine, and stops its code.
    private mutating func blameIfItKeepsFailing(_ reduce: AttemptID, at now: Duration) {
        guard let running = self.runningAttempt(reduce) else { return }
        let count = self.maps.reduce(0) { sum, map in
            sum + (map.output.isFine(for: reduce) ? map.output.failures[reduce]?.count ?? 0 : 0)
        }
        guard count >= MasterOptions.fetchFailuresBeforeBlame else { return }
        let reason = "it reported \(count) times that it could not fetch map outputs that others fetched"
        self.emit(.blame(reduce, on: running.worker, reason: reason))
        self.failed(reduce, on: running.worker, message: reason, record: nil, at: now)
        // Its code still runs: it keeps its slot until it has stopped.
        guard self.updateWorker(running.worker, { $0.stopping.insert(reduce) }) != nil else { return }
        self.emit(.kill(reduce, on: running.worker))
    }

    /// Runs map `map` again, its output charged as a failure of the map.
    private mutating func rerunUnusable(_ map: AttemptID, because message: String) {
        self.maps[map.task].finished[map] = nil
        self.rerun(map.task, because: .outputUnusable)
        self.charge(map, message: "its output could not be fetched: \(message)")
    }
}

extension Scheduler {
    /// What reducers and the master found of a finished map's output.
    struct OutputReports: Sendable {
        enum Check: Sendable, Equatable {
            case notAsked, pending, passed
        }

        /// Reduce attempts that reported they could not fetch it.
        var failures: [AttemptID: FetchFailures] = [:]
        /// The first two reduce attempts that fetched it: enough to know whether one other than a given one did.
        private(set) var fetchedBy: [AttemptID] = []
        /// The master's own fetch of it.
        var check = Check.notAsked

        mutating func noteFetched(by reduce: AttemptID) {
            if self.fetchedBy.count < 2, !self.fetchedBy.contains(reduce) { self.fetchedBy.append(reduce) }
        }

        /// Whether the output is known to be fine, by someone other than `reduce`.
        func isFine(for reduce: AttemptID) -> Bool {
            self.check == .passed || self.fetchedBy.contains { $0 != reduce }
        }
    }

    /// One reduce attempt's reports about one output.
    struct FetchFailures: Sendable {
        var worker: WorkerID
        var count = 0
    }
}
