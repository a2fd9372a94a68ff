import Foundation
import Logging
import MapReduce
import NIOCore
import NIOEmbedded
import Testing
import TestSupport

@testable import MapReduceCluster

/// The master's task commit, with the test as its worker: a reduce attempt that
/// reports success for a file the commit refuses fails, and runs again.
@Suite(.timeLimit(.minutes(1)))
struct MasterTaskCommitTests {
    @Test(arguments: Planting.allCases)
    func aReduceWhoseFileIsRefusedRunsAgainAndTheJobSucceeds(planting: Planting) async throws {
        let directory = try TemporaryDirectory()
        let input = try directory.write("input.txt", Array("one\ntwo\n".utf8))
        try directory.write("outside/precious.txt", Array("keep me\n".utf8))
        let outside = "\(directory.path)/outside"
        let output = "\(directory.path)/out"
        let plan = try JobPlan(
            job: AnyJob(WorkerPoolTests.LineCount.self), configuration: { var configuration = JobConfiguration(inputs: [input], outputDirectory: output); configuration.reducers = 1; return configuration }(),
            workDirectory: "\(directory.path)/work")
        let master = Master(options: MasterOptions(), logger: Logger(label: "test")) { _, _ in nil }
        await master.begin(plan)
        let channel = NIOAsyncTestingChannel()
        let id = await master.register(
            Register(shuffleHost: "127.0.0.1", shufflePort: 1, slots: 1, hostName: "test", processID: 1), channel: channel)
        var outsideBefore: [String: String] = [:]

        // The worker's part: maps succeed at once; a reduce writes its file, and the first attempt plants something in its place.
        var reduces: [AttemptID] = []
        while true {
            switch try Message(decoding: try await channel.waitForOutboundWrite(as: ByteBuffer.self)) {
            case .runMap(let run):
                await master.received(.taskSucceeded(TaskSucceeded(attempt: run.task.id, counters: Counters())), from: id)
            case .runReduce(let run):
                reduces.append(run.attempt)
                let task = ReduceTask(id: run.attempt, inputs: [])
                let path = task.attemptOutputPath(in: output)
                try FileSystem.makeDirectory(ReduceTask.attemptOutputDirectory(for: run.attempt, in: output), access: .ownerOnly)
                try Data("lines\t2\n".utf8).write(to: URL(fileURLWithPath: path))
                if run.attempt.attempt == 1 {
                    try planting.plant(
                        partFile: ReduceTask.partFileName(0), in: ReduceTask.attemptOutputDirectory(for: run.attempt, in: output),
                        outside: outside)
                    outsideBefore = try snapshot(outside)
                }
                await master.received(.taskSucceeded(TaskSucceeded(attempt: run.attempt, counters: Counters())), from: id)
            default:
                continue
            }
            if await master.progress().reducesDone == 1 { break }
        }
        #expect(reduces.map(\.attempt) == [1, 2], "the refused attempt ran again, once")
        guard case .succeeded(let report) = await master.outcome() else {
            Issue.record("the job failed")
            return
        }
        #expect(report.counters[.failedReduceAttempts] == 1)
        try plan.commit(report: report)
        #expect(try String(contentsOfFile: "\(output)/part-r-00000", encoding: .utf8) == "lines\t2\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).sorted() == ["_SUCCESS", "_job.json", "_report.html", "part-r-00000"])
        #expect(try snapshot(outside) == outsideBefore)
    }
}
