import ArgumentParser
import Foundation

/// Turns a failed command into one line on standard error and exit status 1.
enum CommandFailure {
    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            let name = JobCommand.configuration.commandName ?? "job"
            let message = String(describing: error).replacingOccurrences(of: "\n", with: " ")
            standardError("\(name): error: \(message)")
            throw ExitCode.failure
        }
    }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
