import Testing

@testable import MapReduce

@Suite(.timeLimit(.minutes(1)))
struct ParallelTasksTests {
    /// A task that runs until its control asks it to stop, as a mapper over endless input would.
    static func untilStopped(_ control: AttemptControl) throws -> Int {
        var records: Int64 = 0
        while true {
            records += 1
            try control.checkpoint(recordsRead: records)
        }
    }

    @Test func cancellingTheCallerStopsTheRunningTasksAndStartsNoOther() async throws {
        let started = Locked(0)
        let run = Task {
            try await ParallelTasks.run(count: 10, width: 2) { _, control in
                started.withLock { $0 += 1 }
                return try Self.untilStopped(control)
            }
        }
        while started.withLock({ $0 }) < 2 { await Task.yield() }
        run.cancel()
        await #expect(throws: CancellationError.self) { try await run.value }
        #expect(started.withLock { $0 } == 2)
    }

    @Test func aFailingTaskStopsTheOthers() async throws {
        struct Broken: Error {}
        let started = Locked(0)
        await #expect(throws: Broken.self) {
            try await ParallelTasks.run(count: 10, width: 2) { _, control in
                let count = started.withLock { count in
                    count += 1
                    return count
                }
                if count == 2 { throw Broken() }
                return try Self.untilStopped(control)
            }
        }
        #expect(started.withLock { $0 } == 2)
    }

    @Test func withoutTroubleEveryTaskRunsOnceAndResultsKeepTheirOrder() async throws {
        let results = try await ParallelTasks.run(count: 50, width: 3) { task, _ in task * task }
        #expect(results == (0..<50).map { $0 * $0 })
    }
}
