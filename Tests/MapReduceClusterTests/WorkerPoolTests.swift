import Foundation
import Logging
import MapReduce
import Testing
import TestSupport

@testable import MapReduceCluster

/// A local cluster's pool of worker processes.
@Suite(.timeLimit(.minutes(1)))
struct WorkerPoolTests {
    /// Counts the lines of its input; the job the master below runs.
    struct LineCount: Job {
        struct Map: Mapper {
            mutating func map(_ line: Line, context: inout MapContext<String, Int>) {
                context.emit("lines", 1)
            }
        }

        struct Reduce: Reducer {
            mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
                context.write(key, values.reduce(0, +))
            }
        }
    }

    @Test func workersThatKeepExitingBeforeTheyRegisterMakeThePoolGiveUp() async throws {
        let directory = try TemporaryDirectory()
        // "Workers" that note that they started, and exit at once, never having registered.
        let starts = "\(directory.path)/starts"
        let reason = Locked<String?>(nil)
        let pool = WorkerPool(
            executable: "/bin/sh", arguments: ["-c", "echo started >> \(starts)"], secret: .random(), earlyExitLimit: 2,
            logger: Logger(label: "test"), hasRegistered: { _ in false }, giveUp: { why in reason.withLock { $0 = why } })
        try pool.launch()
        try await eventually("the pool to give up") { reason.withLock { $0 } != nil }
        await pool.stopAll(grace: .seconds(1))
        #expect(reason.withLock { $0 } == "worker processes keep exiting before they register (the last exited with status 0)")
        // The first worker, and two replacements in a row that also died before registering.
        let lines = try String(contentsOfFile: starts, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
    }

    @Test func aWorkerToldToGoIsNotReplacedAndOneThatDiesIs() async throws {
        let directory = try TemporaryDirectory()
        let starts = "\(directory.path)/starts"
        // Each "worker" notes its start; the first dies of a signal, the next exit 0 as told to go.
        let script = "echo started >> \(starts); [ $(wc -l < \(starts)) -eq 1 ] && kill -9 $$; exit 0"
        let pool = WorkerPool(
            executable: "/bin/sh", arguments: ["-c", script], secret: .random(), earlyExitLimit: 5, logger: Logger(label: "test"),
            hasRegistered: { _ in true }, giveUp: { why in Issue.record("the pool gave up: \(why)") })
        try pool.launch()
        try await eventually("the replacement to start") {
            ((try? String(contentsOfFile: starts, encoding: .utf8)) ?? "").split(separator: "\n").count == 2
        }
        // The replacement exited 0, told to go: nothing starts after it.
        try await Task.sleep(for: .milliseconds(300))
        await pool.stopAll(grace: .seconds(1))
        #expect(try String(contentsOfFile: starts, encoding: .utf8).split(separator: "\n").count == 2)
    }
}
