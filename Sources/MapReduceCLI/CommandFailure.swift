import ArgumentParser
import Foundation
import MapReduce

/// Turns a failed command into one line on standard error and exit status 1.
enum CommandFailure {
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            let name = JobCommand.configuration.commandName ?? "job"
            let message = String(describing: error).replacingOccurrences(of: "\n", with: " ")
            standardError("\(name): error: \(message)")
            throw ExitCode.failure
        }
    }

    /// Prints how long the job took and its counters.
    static func printSummary(_ report: JobReport) {
        let seconds = String(format: "%.2f", report.elapsedSeconds)
        standardError("\(report.job): done in \(seconds) s, \(report.maps) maps, \(report.reduces) reduces\n\(report.countersText)")
    }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
