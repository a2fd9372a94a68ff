import Synchronization

/// What a running attempt shares with whoever started it: a flag that asks
/// it to stop, which the task's loop checks once per input record, and the
/// number of records it has read so far, for progress reports.
///
/// The per-record cost is one relaxed atomic store and one relaxed atomic
/// load (plain moves on x86-64 and arm64): no lock, no read-modify-write.
public final class AttemptControl: Sendable {
    @usableFromInline let cancelled = Atomic<Bool>(false)
    /// Written only by the thread that runs the attempt.
    @usableFromInline let records = Atomic<Int64>(0)

    /// Makes a control that has not been cancelled and has read no record.
    public init() {}

    /// Asks the attempt to stop at its next record; from any thread.
    public func cancel() {
        self.cancelled.store(true, ordering: .relaxed)
    }

    /// Whether `cancel()` has been called.
    public var isCancelled: Bool { self.cancelled.load(ordering: .relaxed) }

    /// Records read so far: input records for a map attempt, values (and
    /// values skipped) for a reduce attempt.
    public var recordsRead: Int64 { self.records.load(ordering: .relaxed) }

    /// Called by the running attempt once per record: publishes how many it
    /// has read, and throws if it has been asked to stop.
    @inlinable public func checkpoint(recordsRead: Int64) throws(AttemptCancelled) {
        self.records.store(recordsRead, ordering: .relaxed)
        if self.cancelled.load(ordering: .relaxed) { throw AttemptCancelled() }
    }
}
