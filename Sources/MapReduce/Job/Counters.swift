/// Named 64-bit counts: the framework's own (input records, spilled
/// records, ...) and the ones user code increments. Sums saturate at
/// `Int64.min` and `Int64.max` rather than overflow. User code may also sum
/// `Double` amounts, kept apart from the counts.
public struct Counters: Hashable, Sendable, Codable {
    /// The framework's counters, by name.
    public var framework: [String: Int64] = [:]
    /// The job's own counters, by name.
    public var user: [String: Int64] = [:]
    /// The job's own sums of `Double`s, by name (see `add(_:to:)`).
    public var amounts: [String: Double] = [:]

    /// Makes counters that all stand at zero.
    public init() {}

    /// Adds `amount` to the user counter `name`.
    public mutating func increment(_ name: String, by amount: Int64 = 1) {
        Self.accumulate(amount, into: &self.user[name, default: 0])
    }

    /// Adds `amount` to the user amount `name`, a sum of `Double`s. A task whose amounts are
    /// not all finite once it ends fails, naming the amount.
    public mutating func add(_ amount: Double, to name: String) {
        self.amounts[name, default: 0] += amount
    }

    /// Fails if an amount is infinite or not a number (which no sum can mend).
    public func checkAmounts() throws(JobError) {
        if let (name, value) = self.amounts.first(where: { !$0.value.isFinite }) {
            throw JobError("the counter \(name) holds \(value); amounts must be finite")
        }
    }

    /// Adds `amount` to a framework counter.
    public mutating func add(_ counter: FrameworkCounter, _ amount: Int) {
        Self.accumulate(Int64(amount), into: &self.framework[counter.rawValue, default: 0])
    }

    /// The value of a framework counter.
    public subscript(counter: FrameworkCounter) -> Int64 {
        self.framework[counter.rawValue, default: 0]
    }

    /// Adds every count of `other` to this one; returns false if a sum saturated.
    @discardableResult
    public mutating func merge(_ other: Counters) -> Bool {
        var exact = true
        func add(_ a: Int64, _ b: Int64) -> Int64 {
            let (sum, saturated) = Self.saturatingSum(a, b)
            if saturated { exact = false }
            return sum
        }
        self.framework.merge(other.framework, uniquingKeysWith: add)
        self.user.merge(other.user, uniquingKeysWith: add)
        self.amounts.merge(other.amounts, uniquingKeysWith: +)
        return exact
    }

    /// `a + b`, or the nearest bound where that overflows.
    public static func sum(_ a: Int64, _ b: Int64) -> Int64 {
        self.saturatingSum(a, b).sum
    }

    /// Adds `amount` to `count` in place (one dictionary lookup), saturating.
    private static func accumulate(_ amount: Int64, into count: inout Int64) {
        count = self.sum(count, amount)
    }

    /// `a + b`, or the nearest bound and `saturated` where that overflows.
    public static func saturatingSum(_ a: Int64, _ b: Int64) -> (sum: Int64, saturated: Bool) {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min, true) : (sum, false)
    }
}

/// The counters the framework keeps, named as Hadoop names them.
public enum FrameworkCounter: String, CaseIterable, Sendable {
    /// Records the mappers read (less those skipped).
    case mapInputRecords = "Map input records"
    /// Bytes the map tasks read from their splits.
    case mapInputBytes = "Map input bytes"
    /// Records the mappers emitted.
    case mapOutputRecords = "Map output records"
    /// Bytes of the keys and values the mappers emitted, encoded.
    case mapOutputBytes = "Map output bytes"
    /// Records the combiner folded.
    case combineInputRecords = "Combine input records"
    /// Records the combiner left.
    case combineOutputRecords = "Combine output records"
    /// Records written to spill files and their merges, each time written.
    case spilledRecords = "Spilled records"
    /// Spill files the map tasks wrote.
    case spillFiles = "Spill files"
    /// Bytes of the map outputs on disk, compressed; of the part files of a map-only job.
    case mapOutputMaterializedBytes = "Map output materialized bytes"
    /// Stored bytes of the segments the reduce tasks merged.
    case reduceShuffleBytes = "Reduce shuffle bytes"
    /// Bytes of the same segments' records, uncompressed.
    case reduceShuffleRawBytes = "Reduce shuffle raw bytes"
    /// Calls of `reduce`: keys, or groups of keys.
    case reduceInputGroups = "Reduce input groups"
    /// Values the reducers were given.
    case reduceInputRecords = "Reduce input records"
    /// Lines or records the reducers wrote.
    case reduceOutputRecords = "Reduce output records"
    /// Bytes of the part files the reducers wrote.
    case reduceOutputBytes = "Reduce output bytes"
    /// Input records skipped for failing the mapper (`--skip-bad-records`).
    case skippedRecords = "Skipped records"
    /// Map attempts that failed.
    case failedMapAttempts = "Failed map attempts"
    /// Reduce attempts that failed.
    case failedReduceAttempts = "Failed reduce attempts"
    /// Attempts the master stopped: lost on a lost worker, or beaten by another attempt.
    case killedAttempts = "Killed attempts"
    /// Backup attempts started for stragglers.
    case launchedBackupAttempts = "Launched backup attempts"
    /// Backup attempts killed because another attempt of the task finished first.
    case wastedBackupAttempts = "Wasted backup attempts"
}
