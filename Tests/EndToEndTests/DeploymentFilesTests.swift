import Foundation
import Testing
import TestSupport

/// The systemd unit, the Slurm script and docs/scaling.md name only options the executable has.
extension EndToEnd {
@Suite(.timeLimit(.minutes(1)))
struct DeploymentFilesTests {
    static let files = ["docs/deploy/mapreduce-worker.service", "docs/deploy/mapreduce.slurm", "docs/scaling.md"]

    static func read(_ file: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../\(file)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func options(in text: Substring) -> Set<String> {
        Set(text.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) })
    }

    /// The options `wordcount COMMAND --help` lists.
    static func help(_ command: String) async throws -> Set<String> {
        let result = try await ChildProcess.run("wordcount", [command, "--help"])
        #expect(result.status == 0, "\(result.standardError)")
        return Self.options(in: result.standardOutput[...])
    }

    /// The lines of `text` with backslash continuations joined.
    static func logicalLines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n").map(String.init)
    }

    @Test(arguments: Self.files)
    func everyOptionIsOneTheCommandsHave(file: String) async throws {
        let known = ["master": try await Self.help("master"), "worker": try await Self.help("worker")]
        #expect(known["worker"]?.contains("--secret-file") == true, "the help lists options as --name")
        var invocations = 0
        for line in Self.logicalLines(try Self.read(file)) {
            if let call = line.firstMatch(of: /(?:wordcount|"\$JOB") (master|worker) (.*)/) {
                invocations += 1
                let command = String(call.output.1)
                let unknown = Self.options(in: call.output.2).subtracting(known[command] ?? [])
                #expect(unknown.isEmpty, "\(file): \(command) has no \(unknown.sorted())")
            } else if !line.contains("SBATCH"), !line.contains("srun"), !line.contains("sbatch") {
                // Slurm's own options aside, any other option named must be one of the two commands'.
                let unknown = Self.options(in: line[...]).subtracting(known["master"]!.union(known["worker"]!))
                #expect(unknown.isEmpty, "\(file): no command has \(unknown.sorted()): \(line)")
            }
        }
        #expect(invocations >= 1, "\(file) runs no master or worker")
    }
}
}
