import MapReduce

@testable import MapReduceCluster

/// Drives a `Scheduler` with a simulated clock and keeps what it commanded.
struct SchedulerHarness {
    var scheduler: Scheduler
    var now: Duration = .zero
    /// Every command so far, in order.
    var log: [Scheduler.Command] = []

    init(maps: Int, reduces: Int, job: Int = 1, _ configure: (inout MasterOptions) -> Void = { _ in }) {
        var options = MasterOptions()
        configure(&options)
        self.scheduler = Scheduler(maps: maps, reduces: reduces, job: job, options: options)
    }

    /// Handles `event` at the current time and returns its commands.
    @discardableResult
    mutating func on(_ event: Scheduler.Event) -> [Scheduler.Command] {
        let commands = self.scheduler.handle(event, at: self.now)
        self.log += commands
        return commands
    }

    /// Moves the clock on and ticks.
    @discardableResult
    mutating func advance(_ duration: Duration) -> [Scheduler.Command] {
        self.now += duration
        return self.on(.tick)
    }

    @discardableResult
    mutating func register(_ number: Int, slots: Int = 1) -> [Scheduler.Command] {
        self.on(.workerRegistered(WorkerID(number: number), slots: slots))
    }

    /// The attempts running on worker `number`, by name.
    func running(on number: Int) -> [String] {
        (self.scheduler.workers[WorkerID(number: number)]?.running ?? []).map(\.description).sorted()
    }

    /// The running attempt of task `name` (`m-00001`), which must be the only one.
    func attempt(_ name: String) -> AttemptID? {
        let tasks = self.scheduler.maps + self.scheduler.reduces
        let running = tasks.flatMap(\.running.keys).filter { $0.taskName == name }
        return running.count == 1 ? running[0] : nil
    }
}

/// `m-00001-a1` of job 1.
func attempt(_ kind: AttemptID.Kind, _ task: Int, _ number: Int) -> AttemptID {
    AttemptID(kind, task: task, attempt: number, job: 1)
}

func worker(_ number: Int) -> WorkerID { WorkerID(number: number) }

/// The command names for a compact comparison: `run m-00000-a1 on w-1`. Announcements of map
/// outputs, one for every map that finishes, are left out: tests that care look for them.
func names(_ commands: [Scheduler.Command]) -> [String] {
    commands.compactMap { command in
        switch command {
        case .runMap(let attempt, let worker, _): "run \(attempt.description) on \(worker)"
        case .runReduce(let attempt, let worker): "run \(attempt.description) on \(worker)"
        case .announce: nil
        case .kill(let attempt, let worker): "kill \(attempt.description) on \(worker)"
        case .exclude(let worker): "exclude \(worker)"
        case .blame(let attempt, let worker, _): "blame \(attempt.description) on \(worker)"
        case .rerun(let map, _): "rerun m-\(map)"
        case .checkOutput(let output, let partition): "check \(output.attempt.description) partition \(partition) on \(output.worker)"
        case .failJob(let givenUp): "fail \(givenUp.attempt.description)"
        case .commit(let winners): "commit \(winners.map { $0.description }.joined(separator: ","))"
        }
    }
}

extension Scheduler {
    /// Running reduce attempts and their workers, by attempt id.
    func runningReduces() -> [(AttemptID, WorkerID)] {
        self.reduces.flatMap { task in task.running.map { ($0.key, $0.value.worker) } }
            .sorted { $0.0.description < $1.0.description }
    }
}
