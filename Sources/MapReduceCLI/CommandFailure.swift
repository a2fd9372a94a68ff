import ArgumentParser
import Foundation
import MapReduce
import MapReduceCluster

/// Runs a command's work so that a termination signal (or, `followingParent`,
/// the parent going away) stops it, and turns how it ended into the exit
/// status: 0; 1 and one line on standard error saying what failed; or, once
/// the stopped work has returned (and cleaned up), 128 plus the signal's number.
enum CommandFailure {
    static func reporting(followingParent: Bool = false, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let stop = StopSignal()
        if followingParent { stop.stopWhenStandardInputCloses() }
        let name = JobCommand.configuration.commandName ?? "job"
        do {
            try await stop.run(body)
        } catch let exit as ExitCode where stop.reason == nil {
            // A status of another process's (`run`'s master), which said why itself.
            throw exit
        } catch {
            // What a stopped command's work throws is the stop's doing, not a failure to report.
            if stop.reason == nil {
                let message = String(describing: error).replacingOccurrences(of: "\n", with: " ")
                standardError("\(name): error: \(message)")
                throw ExitCode.failure
            }
        }
        if let reason = stop.reason {
            // A worker whose parent went away was stopped by it: the parent says what happened.
            if reason != .parentWentAway { standardError("\(name): stopped by \(reason)") }
            throw ExitCode(reason.exitStatus)
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
