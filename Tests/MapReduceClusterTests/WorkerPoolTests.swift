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

    @Test func workersThatKeepExitingBeforeTheyRegisterEndTheJob() async throws {
        let directory = try TemporaryDirectory()
        let input = try directory.write("input.txt", Array("one\ntwo\n".utf8))
        let plan = try JobPlan(
            job: AnyJob(LineCount.self), configuration: JobConfiguration(inputs: [input], outputDirectory: "\(directory.path)/out"),
            workDirectory: "\(directory.path)/work")
        let master = Master(options: MasterOptions(), logger: Logger(label: "test")) { _, _ in nil }
        await master.begin(plan)
        // "Workers" that note that they started, and exit at once, never having registered.
        let starts = "\(directory.path)/starts"
        let pool = WorkerPool(
            executable: "/bin/sh", arguments: ["-c", "echo started >> \(starts)"], secret: .random(), master: master,
            earlyExitLimit: 2, logger: Logger(label: "test"))
        try pool.launch()
        guard case .failed(let reason) = await master.outcome() else {
            Issue.record("the job succeeded without workers")
            return
        }
        plan.committer.abort()
        #expect(reason == "worker processes keep exiting before they register (the last with status 0)")
        // The first worker, and two replacements in a row that also died before registering.
        let lines = try String(contentsOfFile: starts, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
    }
}
