import Foundation
import Testing
import TestSupport

/// `scripts/simulate-cluster` measures the master against many simulated
/// workers; a small run here keeps the simulator working with the master.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct SimulatedClusterTests {
    struct Report: Decodable {
        struct Attempt: Decodable {
            var id: String
            var succeeded: Bool
        }

        var attempts: [Attempt]
    }

    @Test func aSmallSimulatedClusterCommitsItsJobWithEveryTaskRun() async throws {
        let directory = try TemporaryDirectory()
        let output = "\(directory.path)/out"
        let result = try await ChildProcess.run(
            "simulate-cluster",
            [
                "--workers", "20", "--maps", "500", "--reduces", "10", "--task-ms", "5", "--output", output,
                "--master-executable", "\(ChildProcess.productsDirectory)/testjobs",
            ], timeout: 150)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(FileManager.default.fileExists(atPath: "\(output)/_SUCCESS"))
        let parts = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-") }.sorted()
        #expect(parts == (0..<10).map { String(format: "part-r-%05d", $0) })
        // Every task has a successful attempt in the job's report.
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: "\(output)/_job.json")))
        let done = Set(report.attempts.filter(\.succeeded).map { $0.id.split(separator: "-").prefix(2).joined(separator: "-") })
        let tasks = Set((0..<500).map { String(format: "m-%05d", $0) } + (0..<10).map { String(format: "r-%05d", $0) })
        #expect(done == tasks)
        #expect(result.standardOutput.contains("us per task event"), "\(result.standardOutput)")
    }
}
}
