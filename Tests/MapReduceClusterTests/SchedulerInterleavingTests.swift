import MapReduce
import Testing
import TestSupport

@testable import MapReduceCluster

/// Replays random interleavings of worker deaths, freezes, slow, failing and
/// crossing attempts, map outputs recovered from dead workers, and fetch failure
/// reports (true, forged, and checked by the master), against the scheduler, and checks after every step what must always hold. Worker 1 never fails and never dies; other workers fail
/// attempts and die, but never so often that a task must be given up.
@Suite struct SchedulerInterleavingTests {
    @Test(arguments: 0..<2000)
    func everyInterleavingCommitsEachReduceOnceAndKeepsToSlots(seed: Int) throws {
        var simulation = Simulation(seed: UInt64(seed))
        try simulation.run()
    }
}

/// The workers as processes, driven by a seeded random source, talking to a scheduler.
private struct Simulation {
    struct Process {
        var slots: Int
        /// Attempts it is running, and killed ones whose code has not stopped yet.
        var active: Set<AttemptID> = []
        var killing: Set<AttemptID> = []
    }

    var random: SeededRandom
    var harness: SchedulerHarness
    var processes: [WorkerID: Process] = [:]
    var nextWorker = 1
    /// Failures each task may still be dealt before the job would have to give it up.
    var failuresLeft: [AttemptID: Int] = [:]
    var deathsLeft = 6
    /// Map attempts each worker finished, whose output files stay when it dies.
    var outputs: [WorkerID: [AttemptID]] = [:]
    /// Outputs of dead workers, for the next worker to recover.
    var abandoned: [AttemptID] = []
    var commits: [[AttemptID]] = []
    /// Checks of map outputs the master was told to make, not answered yet.
    var pendingChecks: [Scheduler.MapOutputAt] = []
    /// Fetch failure reports each reduce task may still send; its first takes one of its failures,
    /// as five reports can get at most one of its attempts blamed.
    var reportsLeft: [AttemptID: Int] = [:]
    var succeededReduces: Set<AttemptID> = []
    let mapCount: Int
    let reduceCount: Int

    init(seed: UInt64) {
        self.random = SeededRandom(seed: seed)
        self.mapCount = 1 + Int(self.random.next() % 12)
        self.reduceCount = 1 + Int(self.random.next() % 5)
        let slowStart = [0.0, 0.05, 0.5, 1.0][Int(self.random.next() % 4)]
        self.harness = SchedulerHarness(maps: self.mapCount, reduces: self.reduceCount) {
            $0.slowStart = slowStart
            $0.maxAttempts = 3
            $0.maxWorkerDeaths = 7
            $0.speculationMinAge = .seconds(2)
        }
    }

    mutating func run() throws {
        self.register()
        for _ in 0..<5000 where !self.harness.scheduler.isOver {
            try self.step()
            try self.check()
        }
        #expect(self.harness.scheduler.isOver, "the job neither finished nor failed")
        #expect(self.commits.count == 1, "the job was not committed exactly once")
        let winners = try #require(self.commits.first)
        #expect(winners.map(\.task) == Array(0..<self.reduceCount))
        #expect(winners.allSatisfy { self.succeededReduces.contains($0) })
    }

    private mutating func step() throws {
        let live = self.processes.keys.sorted()
        switch self.random.next() % 100 {
        case 0..<30:
            self.deliver(self.harness.advance(.milliseconds(100 + Int(self.random.next() % 3000))))
        case 30..<75:
            let running = live.flatMap { id in self.processes[id]!.active.map { ($0, id) } }.sorted { $0.0.description < $1.0.description }
            guard !running.isEmpty else { return }
            let (attempt, id) = running[Int(self.random.next() % UInt64(running.count))]
            self.finish(attempt, on: id)
        case 75..<85:
            let killing = live.flatMap { id in self.processes[id]!.killing.map { ($0, id) } }.sorted { $0.0.description < $1.0.description }
            guard !killing.isEmpty else { return }
            let (attempt, id) = killing[Int(self.random.next() % UInt64(killing.count))]
            self.processes[id]!.killing.remove(attempt)
            // The attempt either saw the kill, or finished before it could and says so.
            let event: Scheduler.Event =
                self.random.next() % 2 == 0 ? .attemptStopped(attempt, on: id) : .attemptSucceeded(attempt, on: id)
            self.deliver(self.harness.on(event))
        case 85..<90:
            guard self.deathsLeft > 0, let id = live.filter({ $0.number != 1 }).randomElement(using: &self.random) else { return }
            self.deathsLeft -= 1
            self.processes[id] = nil
            self.abandoned += self.outputs.removeValue(forKey: id) ?? []
            // Killed, frozen past the timeout, or cut off: to the scheduler it is all one.
            self.deliver(self.harness.on(.workerLost(id, reason: "lost")))
        case 90..<95:
            if self.nextWorker <= 8 { self.register() }
        case 95..<98:
            self.forgeFetchFailure()
        default:
            // The master's check of an output ends; it finds a problem while the map can afford one.
            guard !self.pendingChecks.isEmpty else { return }
            let output = self.pendingChecks.remove(at: Int(self.random.next() % UInt64(self.pendingChecks.count)))
            let map = AttemptID(.map, task: output.attempt.task, attempt: 0)
            let broken = self.random.next() % 2 == 0 && self.failuresLeft[map, default: 2] > 0
            if broken { self.failuresLeft[map, default: 2] -= 1 }
            self.deliver(self.harness.on(.outputChecked(output, problem: broken ? "unreachable" : nil)))
        }
    }

    /// A worker that does not run a reduce attempt says it cannot fetch a finished map's output,
    /// which must change nothing.
    private mutating func forgeFetchFailure() {
        let done = self.harness.scheduler.maps.compactMap(\.done?.attempt)
        let reduces = self.harness.scheduler.runningReduces()
        guard let map = done.randomElement(using: &self.random), let (reduce, host) = reduces.randomElement(using: &self.random),
            let liar = self.processes.keys.filter({ $0 != host }).randomElement(using: &self.random)
        else { return }
        let commands = self.harness.on(.fetchFailed(map: map, reduce: reduce, on: liar, message: "forged"))
        #expect(!names(commands).contains { $0.hasPrefix("rerun") || $0.hasPrefix("check") || $0.hasPrefix("kill") })
        self.deliver(commands)
    }

    /// Running reduce attempt `reduce` says it cannot fetch a finished map's output.
    private mutating func reportFetchFailure(by reduce: AttemptID, on host: WorkerID) {
        guard let map = self.harness.scheduler.maps.compactMap(\.done?.attempt).randomElement(using: &self.random) else { return }
        let mapTask = AttemptID(.map, task: map.task, attempt: 0)
        let reduceTask = AttemptID(.reduce, task: reduce.task, attempt: 0)
        if self.reportsLeft[reduceTask] == nil, self.failuresLeft[reduceTask, default: 2] > 0 {
            self.failuresLeft[reduceTask, default: 2] -= 1
            self.reportsLeft[reduceTask] = 5
        }
        // A report from a second worker re-runs the map, which is charged for it.
        let reporters = Set(self.harness.scheduler.maps[map.task].output.failures.values.map(\.worker) + [host])
        guard self.reportsLeft[reduceTask, default: 0] > 0, reporters.count < 2 || self.failuresLeft[mapTask, default: 2] > 0 else { return }
        self.reportsLeft[reduceTask]! -= 1
        if reporters.count >= 2 { self.failuresLeft[mapTask, default: 2] -= 1 }
        self.deliver(self.harness.on(.fetchFailed(map: map, reduce: reduce, on: host, message: "unreachable")))
    }

    /// A running attempt ends: it fails (while its task can afford it, never on worker 1),
    /// reports fetched map outputs or one it cannot fetch (a reduce), or succeeds.
    private mutating func finish(_ attempt: AttemptID, on id: WorkerID) {
        let task = AttemptID(attempt.kind, task: attempt.task, attempt: 0)
        let roll = self.random.next() % 100
        if roll < 20, id.number != 1, self.failuresLeft[task, default: 2] > 0 {
            self.failuresLeft[task, default: 2] -= 1
            self.processes[id]!.active.remove(attempt)
            self.deliver(self.harness.on(.attemptFailed(attempt, on: id, message: "transient", record: nil)))
        } else if roll < 45, attempt.kind == .reduce {
            let maps = self.harness.scheduler.maps.indices.filter { _ in self.random.next() % 2 == 0 }
            self.deliver(self.harness.on(.outputsFetched(reduce: attempt, maps: maps.map { $0...$0 }, on: id)))
        } else if roll < 60, attempt.kind == .reduce {
            self.reportFetchFailure(by: attempt, on: id)
        } else {
            self.processes[id]!.active.remove(attempt)
            if attempt.kind == .reduce { self.succeededReduces.insert(attempt) } else { self.outputs[id, default: []].append(attempt) }
            self.deliver(self.harness.on(.attemptSucceeded(attempt, on: id)))
        }
    }

    private mutating func register() {
        let id = WorkerID(number: self.nextWorker)
        self.nextWorker += 1
        let slots = 1 + Int(self.random.next() % 3)
        self.processes[id] = Process(slots: slots)
        self.deliver(self.harness.on(.workerRegistered(id, slots: slots)))
        // Half the time it finds what dead workers left, and serves it.
        if !self.abandoned.isEmpty, self.random.next() % 2 == 0 {
            self.outputs[id, default: []] += self.abandoned
            self.deliver(self.harness.on(.outputsRecovered(self.abandoned, on: id)))
            self.abandoned = []
        }
    }

    /// Carries out commands as worker processes would.
    private mutating func deliver(_ commands: [Scheduler.Command]) {
        for command in commands {
            switch command {
            case .runMap(let attempt, let id, _), .runReduce(let attempt, let id):
                self.processes[id]?.active.insert(attempt)
            case .kill(let attempt, let id):
                if self.processes[id]?.active.remove(attempt) != nil { self.processes[id]!.killing.insert(attempt) }
            case .commit(let winners):
                self.commits.append(winners)
            case .failJob(let givenUp):
                Issue.record("a job with transient failures only was given up: \(givenUp)")
            case .checkOutput(let output, _):
                self.pendingChecks.append(output)
            case .announce, .exclude, .blame, .rerun:
                break
            }
        }
    }

    private func check() throws {
        for (id, process) in self.processes {
            #expect(process.active.count + process.killing.count <= process.slots, "\(id) runs more than its slots")
            let scheduled = self.harness.scheduler.workers[id]
            #expect(scheduled?.running == process.active, "\(id): the scheduler's view of its attempts is wrong")
        }
        for task in self.harness.scheduler.maps + self.harness.scheduler.reduces {
            for (attempt, running) in task.running {
                #expect(self.processes[running.worker]?.active.contains(attempt) == true)
            }
        }
        if self.harness.scheduler.isOver { #expect(self.commits.count <= 1) }
        // The indexes agree with the task table they are kept beside.
        let scheduler = self.harness.scheduler
        for (kind, tasks) in [(AttemptID.Kind.map, scheduler.maps), (.reduce, scheduler.reduces)] {
            #expect(Array(scheduler.indexes.idle[kind]) == tasks.indices.filter { tasks[$0].isIdle }, "idle \(kind) tasks")
        }
        #expect(scheduler.indexes.healthyWorkers == scheduler.workers.values.filter { $0.excludedAt == nil }.count)
        #expect(scheduler.indexes.runningReduceAttempts == scheduler.reduces.map(\.running.count).reduce(0, +))
        for index in scheduler.indexes.lostOutputs {
            #expect(scheduler.maps[index].done.map { scheduler.workers[$0.worker] == nil } == true, "lost output of m-\(index)")
        }
    }
}
