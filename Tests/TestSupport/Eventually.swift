import Foundation

/// Waits until `condition` holds, checking every 20 ms; throws if it still
/// does not after `timeout` seconds. Waiting suspends the task, so tests
/// running at the same time keep their threads.
public func eventually(_ what: String, timeout: Double = 60, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
    while !condition() {
        guard ContinuousClock.now < deadline else { throw ChildProcess.TimedOut(command: "waiting for \(what)", seconds: timeout) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// The names in directory `path`, or none if it does not exist.
public func contents(of path: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
}
