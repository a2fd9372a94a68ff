import Dispatch
import Foundation
import MapReduce
import Testing
import TestSupport

/// A map or reduce attempt whose control is cancelled from another thread
/// stops at its next record, and says so with `AttemptCancelled`.
@Suite(.timeLimit(.minutes(1)))
struct AttemptCancellationTests {
    /// Lines `0` to `count - 1`, one number a line, as one split.
    static func numbers(_ count: Int, in directory: TemporaryDirectory) throws -> MapTask {
        let text = Array((0..<count).map { "\($0)\n" }.joined().utf8)
        let path = try directory.write("numbers.txt", text)
        return MapTask(id: AttemptID(.map, task: 0, attempt: 1), split: InputSplit(path: path, start: 0, length: Int64(text.count)))
    }

    static func settings(_ directory: TemporaryDirectory, parameters: [String: String] = [:]) throws -> TaskSettings {
        try FileManager.default.createDirectory(atPath: "\(directory.path)/out/_temporary", withIntermediateDirectories: true)
        return TaskSettings(
            partitions: 1, sortBufferBytes: 1 << 20, compressionLevel: 1, parameters: JobParameters(parameters),
            workDirectory: directory.path, outputDirectory: "\(directory.path)/out")
    }

    /// Runs `body`, which pauses at `probe`; meanwhile, on another thread, cancels `control` and lets `body` go on.
    static func cancelWhilePaused<T>(_ control: AttemptControl, at probe: Probe, _ body: () throws -> T) throws -> T {
        Thread.detachNewThread {
            guard probe.reached.wait(timeout: .now() + 20) == .success else { return }
            control.cancel()
            probe.resume.signal()
        }
        return try body()
    }

    @Test func aMapperCancelledFromAnotherThreadStopsAtTheNextRecord() throws {
        let directory = try TemporaryDirectory()
        let task = try Self.numbers(10_000, in: directory)
        // Not cancelled, it reads every record.
        let whole = AttemptControl()
        let result = try task.run(Pausing.self, settings: Self.settings(directory), control: whole)
        #expect(result.counters[.mapInputRecords] == 10_000)
        #expect(whole.recordsRead == 10_000)

        let probe = Probe()
        let control = AttemptControl()
        let settings = try Self.settings(directory, parameters: ["probe": probe.id, "pause-at": "100"])
        #expect(throws: AttemptCancelled()) {
            try Self.cancelWhilePaused(control, at: probe) { try task.run(Pausing.self, settings: settings, control: control) }
        }
        // The mapper was cancelled during its 100th record, and never saw the 101st.
        #expect(probe.seen.withLock { $0 } == 100)
        #expect(control.recordsRead == 100)
    }

    @Test(arguments: ["values", "groups"])
    func aReducerCancelledFromAnotherThreadStopsAtTheNextValueOrGroup(_ keys: String) throws {
        let directory = try TemporaryDirectory()
        let map = try Self.numbers(10_000, in: directory)
        let mapped = try map.run(Pausing.self, settings: Self.settings(directory, parameters: ["keys": keys]), control: AttemptControl())
        let task = ReduceTask(id: AttemptID(.reduce, task: 0, attempt: 1), inputs: [ReduceInput(mapped.output, partition: 0)])
        let probe = Probe()
        let control = AttemptControl()
        let settings = try Self.settings(directory, parameters: ["probe": probe.id, "pause-at": "100"])
        #expect(throws: AttemptCancelled()) {
            try Self.cancelWhilePaused(control, at: probe) { try task.run(Pausing.self, settings: settings, control: control) }
        }
        // The reducer was cancelled during its 100th value; the merge stopped at the next value
        // of the same key, or (one value a key) at the next key.
        #expect(probe.seen.withLock { $0 } == 100)
        #expect(control.recordsRead == (keys == "values" ? 101 : 100))
    }
}

/// What a test shares with the `Pausing` job it runs: where the job
/// pauses, and how many records (map) or values (reduce) it has seen.
final class Probe: Sendable {
    let id = UUID().uuidString
    let reached = DispatchSemaphore(value: 0)
    let resume = DispatchSemaphore(value: 0)
    let seen = Locked(0)

    private static let registry = Locked<[String: Probe]>([:])

    init() {
        Self.registry.withLock { [self] in $0[self.id] = self }
    }

    static func named(_ id: String?) -> Probe? {
        Self.registry.withLock { registry in id.flatMap { registry[$0] } }
    }

    /// Counts one record; at the `pauseAt`-th, signals `reached` and waits (20 s at most) for `resume`.
    func sawOne(pauseAt: Int) {
        let count = self.seen.withLock { seen in
            seen += 1
            return seen
        }
        guard count == pauseAt else { return }
        self.reached.signal()
        _ = self.resume.wait(timeout: .now() + 20)
    }
}

/// Numbers, under one key (`--param keys=values`) or each under its own
/// (`keys=groups`). With `probe=ID` and `pause-at=N`, the mapper, or the
/// reducer, reports each record or value to the probe and pauses at the N-th.
struct Pausing: Job {
    struct Map: Mapper {
        var probe: Probe?
        var pauseAt = 0
        var oneKey = true

        mutating func setUp(context: inout MapContext<String, Int>) throws {
            self.probe = Probe.named(context.parameters["probe"])
            self.pauseAt = try context.parameters.int("pause-at") ?? 0
            self.oneKey = context.parameters["keys"] != "groups"
        }

        mutating func map(_ line: Line, context: inout MapContext<String, Int>) {
            self.probe?.sawOne(pauseAt: self.pauseAt)
            context.emit(self.oneKey ? "key" : line.string, Int(line.string) ?? 0)
        }
    }

    struct Reduce: Reducer {
        var probe: Probe?
        var pauseAt = 0

        mutating func setUp(context: inout ReduceContext) throws {
            self.probe = Probe.named(context.parameters["probe"])
            self.pauseAt = try context.parameters.int("pause-at") ?? 0
        }

        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
            for value in values {
                self.probe?.sawOne(pauseAt: self.pauseAt)
                context.write(key, value)
            }
        }
    }
}
