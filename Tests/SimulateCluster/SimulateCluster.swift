import ArgumentParser
import Foundation
import MapReduce
import MapReduceCluster

/// Runs the real master, in a process of its own, against many simulated
/// workers in this process that speak the real protocol over loopback but
/// do no work, and prints what the master cost.
@main
struct SimulateCluster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate-cluster", abstract: "Measure the master against simulated workers that do no work.")

    @Option(help: "Simulated workers.")
    var workers = 100
    @Option(help: "Map tasks.")
    var maps = 10_000
    @Option(help: "Reduce tasks.")
    var reduces = 100
    @Option(help: "Slots of each simulated worker.")
    var slots = 1
    @Option(help: "Milliseconds a simulated attempt takes.")
    var taskMs = 100
    @Option(help: "The executable whose `master` subcommand runs the master (one with the job `paced`).")
    var masterExecutable: String
    @Option(help: "Simulated workers that connect at once.")
    var connectsAtOnce = 50
    @Option(help: "Extra arguments for the master, space-separated (such as --slow-start 1).")
    var masterArguments = ""
    @Option(help: "Seconds without a heartbeat after which the master counts a worker as dead: longer than a real cluster's 10 s, as the simulated workers share a few cores.")
    var workerTimeout = 60.0
    @Option(help: "Where the job's output goes, kept (by default a temporary directory, removed).")
    var output: String?
    @Option(help: "Seconds after which the simulation gives up, printing what the master has used so far.")
    var timeout = 1800.0

    func validate() throws {
        guard self.workers >= 1, self.maps >= 1, self.reduces >= 1, self.slots >= 1, self.taskMs >= 0, self.connectsAtOnce >= 1 else {
            throw ValidationError("--workers, --maps, --reduces, --slots and --connects-at-once must be at least 1, --task-ms at least 0")
        }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-cluster-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { self.remove(directory) }
        // One byte per split: `maps` map tasks that read one byte each.
        try Data(repeating: UInt8(ascii: "x"), count: self.maps).write(to: URL(fileURLWithPath: "\(directory)/input"))
        let secretText = "a secret for the simulated cluster only"
        guard FileManager.default.createFile(atPath: "\(directory)/secret", contents: Data(secretText.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: "\(directory)/secret"])
        }
        let secret = try Secret(file: "\(directory)/secret")
        let output = self.output ?? "\(directory)/output"
        let arguments = [
            self.masterExecutable, "master", "--job", "paced", "--secret-file", "\(directory)/secret", "--reducers", "\(self.reduces)",
            "--split-size", "1", "--output", output, "--log-level", "warning",
            "--worker-timeout", "\(self.workerTimeout)", "--idle-timeout", "\(max(60, 2 * self.workerTimeout))",
        ] + self.masterArguments.split(separator: " ").map(String.init) + ["\(directory)/input"]

        let started = ContinuousClock.now
        let master = try MasterProcess(arguments, log: "\(directory)/master.log")
        let figures = SimulationFigures()
        do {
            let port = try await master.port(within: .seconds(120))
            let planned = ContinuousClock.now
            try await self.runWorkers(port: port, secret: secret, figures: figures, master: master)
            let usage = master.wait()
            let finished = ContinuousClock.now
            let log = (try? String(contentsOfFile: master.log, encoding: .utf8)) ?? ""
            guard usage.status == 0 else { throw SimulationError("the master failed (status \(usage.status)):\n\(log.suffix(4000))") }
            try self.checkOutput(output, figures: figures)
            self.report(usage, figures: figures, wall: finished - planned, total: finished - started)
        } catch {
            master.stop()
            _ = master.wait()
            let log = (try? String(contentsOfFile: master.log, encoding: .utf8)) ?? ""
            throw SimulationError("\(error)\nthe master's log ends:\n\(log.suffix(3000))")
        }
    }

    /// Runs the simulated workers until the master says stop, or until the time is up.
    private func runWorkers(port: Int, secret: Secret, figures: SimulationFigures, master: MasterProcess) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.serveWorkers(port: port, secret: secret, figures: figures) }
            group.addTask {
                try await Task.sleep(for: .seconds(self.timeout))
                let usage = master.usageSoFar()
                let events = figures.taskEvents
                throw SimulationError(
                    "the job did not finish within \(self.timeout) s: \(events) task events so far (\(figures.attemptsStarted) attempts started); "
                        + "the master used \(usage.cpuSeconds) s of CPU (\(Int(usage.cpuSeconds * 1e6 / Double(max(events, 1)))) us per task event), "
                        + "peak RSS \(usage.peakRSSBytes >> 20) MB")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Connects the simulated workers, a few at a time, and serves until the master says stop.
    private func serveWorkers(port: Int, secret: Secret, figures: SimulationFigures) async throws {
        let delay = Duration.milliseconds(self.taskMs)
        // Each worker says when it has registered, or failed to: then the next may connect.
        let (registrations, registered) = AsyncStream.makeStream(of: Void.self)
        let decoding = SharedDecoding()
        var waiting = registrations.makeAsyncIterator()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<self.workers {
                if index >= self.connectsAtOnce { await waiting.next() }
                group.addTask {
                    do {
                        try await SimulatedWorker.run(port: port, secret: secret, slots: self.slots, delay: delay, figures: figures, decoding: decoding) {
                            registered.yield()
                        }
                    } catch is SimulatedWorker.NotRegistered {
                        figures.workerNotRegistered()
                        registered.yield()
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The job committed one part file per reduce task, and every task started at least once.
    private func checkOutput(_ output: String, figures: SimulationFigures) throws {
        guard FileManager.default.fileExists(atPath: "\(output)/_SUCCESS") else { throw SimulationError("the job did not commit") }
        let parts = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-r-") }
        guard parts.count == self.reduces else { throw SimulationError("\(parts.count) part files, not \(self.reduces)") }
        guard figures.attemptsStarted >= self.maps + self.reduces else {
            throw SimulationError("\(figures.attemptsStarted) attempts started for \(self.maps + self.reduces) tasks")
        }
    }

    private func report(_ usage: MasterProcess.Usage, figures: SimulationFigures, wall: Duration, total: Duration) {
        let slots = Double(self.workers * self.slots)
        let delay = Double(self.taskMs) / 1000
        let ideal = (Double(self.maps) / slots).rounded(.up) * delay + (Double(self.reduces) / slots).rounded(.up) * delay
        let events = figures.taskEvents
        let (roundTrips, count) = figures.roundTripPercentiles([0.5, 0.9, 0.99, 1])
        func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        print("simulated cluster: \(self.workers) workers x \(self.slots) slots, \(self.maps) maps, \(self.reduces) reduces, \(self.taskMs) ms a task")
        print("task events (attempts started + attempts ended): \(events), attempts started: \(figures.attemptsStarted), workers that could not register: \(figures.workersNotRegistered), connections broken: \(figures.connectionsBroken)")
        print("master CPU: \(format(usage.cpuSeconds, 2)) s (user+sys), \(format(usage.cpuSeconds * 1e6 / Double(max(events, 1)))) us per task event, \(format(usage.cpuSeconds * 1000 / Double(max(events, 1)) , 3)) s per 1000")
        print("master peak RSS: \(format(Double(usage.peakRSSBytes) / 1048576)) MB")
        print("heartbeat round trip (\(count) heartbeats): p50 \(format(roundTrips[0])) ms, p90 \(format(roundTrips[1])) ms, p99 \(format(roundTrips[2])) ms, max \(format(roundTrips[3])) ms")
        print("job wall time: \(format(wall / .seconds(1), 2)) s from the master listening to its exit (ideal \(format(ideal, 2)) s, \(format((wall / .seconds(1)) / max(ideal, 0.001), 2))x); \(format(total / .seconds(1), 2)) s with planning")
    }

    private func remove(_ directory: String) {
        do {
            try FileManager.default.removeItem(atPath: directory)
        } catch {
            print("cannot remove \(directory): \(error)")
        }
    }
}
