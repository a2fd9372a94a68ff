import MapReduce
import Testing
import TestSupport

@testable import MapReduceCluster

/// The scheduler's indexes against plain references: a `Set<Int>`, a scan
/// of the workers, and placement as a scan of every task and worker.
@Suite struct SchedulerIndexTests {
    @Test(arguments: 0..<20)
    func aTaskSetAgreesWithASet(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        let capacity = 1 + Int(random.next() % 300)
        var tasks = TaskSet(capacity: capacity)
        var reference: Set<Int> = []
        for _ in 0..<2000 {
            let member = Int(random.next() % UInt64(capacity))
            switch random.next() % 4 {
            case 0: #expect(tasks.insert(member) == reference.insert(member).inserted)
            case 1: #expect(tasks.remove(member) == (reference.remove(member) != nil))
            case 2:
                let end = min(capacity - 1, member + Int(random.next() % 70))
                tasks.insert(contentsOf: member...end)
                reference.formUnion(member...end)
            default: #expect(tasks.first == reference.min())
            }
            #expect(tasks.count == reference.count)
            #expect(tasks.contains(member) == reference.contains(member))
        }
        #expect(Array(tasks) == reference.sorted())
    }

    @Test(arguments: 0..<20)
    func theFreeSlotIndexFindsTheFreestWorkerAsAScanWould(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        var index = FreeSlotIndex()
        var free: [WorkerID: Int] = [:]
        for _ in 0..<2000 {
            let id = WorkerID(number: 1 + Int(random.next() % 30))
            if random.next() % 10 == 0 {
                free[id] = nil
            } else {
                free[id] = Int(random.next() % 4)
                index.note(id, free: free[id]!)
            }
            let excluded = Set((0..<Int(random.next() % 3)).map { _ in WorkerID(number: 1 + Int(random.next() % 30)) })
            let expected = free.filter { $0.value > 0 && !excluded.contains($0.key) }.sorted { $0.key < $1.key }
                .max { $0.value < $1.value }?.key
            #expect(index.freest(excluding: excluded) { free[$0] } == expected)
        }
    }

    /// Workers with random slots come and go while random attempts finish; every map placed must go
    /// where a scan would put it: idle tasks lowest first, each on the worker with the most free
    /// slots, the lowest id among equals.
    @Test(arguments: 0..<50)
    func mapsArePlacedAsAScanOfTasksAndWorkersWouldPlaceThem(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        var harness = SchedulerHarness(maps: 200, reduces: 1) {
            $0.slowStart = 1
            $0.speculation = false
            $0.maxWorkerDeaths = 1000
        }
        var next = 1
        for _ in 0..<400 where harness.scheduler.mapsDone < 200 {
            let running = harness.scheduler.workers.keys.sorted().flatMap { id in
                harness.scheduler.workers[id]!.running.sorted { $0.description < $1.description }.map { ($0, id) }
            }
            let event: Scheduler.Event
            switch random.next() % 10 {
            case 0..<2 where next <= 40:
                event = .workerRegistered(WorkerID(number: next), slots: 1 + Int(random.next() % 4))
                next += 1
            case 2 where harness.scheduler.workers.count > 1:
                let workers = harness.scheduler.workers.keys.sorted()
                event = .workerLost(workers[Int(random.next() % UInt64(workers.count))], reason: "gone")
            default:
                guard !running.isEmpty else { continue }
                let (attempt, id) = running[Int(random.next() % UInt64(running.count))]
                event = .attemptSucceeded(attempt, on: id)
            }
            let expected = Self.scanPlacement(harness.scheduler, after: event)
            let placed = harness.on(event).compactMap { command -> String? in
                if case .runMap(let attempt, let id, _) = command { "m-\(attempt.task) on \(id)" } else { nil }
            }
            #expect(placed == expected, "seed \(seed)")
        }
    }

    /// Where a scan would place idle maps after `event`, which must leave no task failed and no output lost.
    static func scanPlacement(_ before: Scheduler, after event: Scheduler.Event) -> [String] {
        var free = before.workers.mapValues(\.freeSlots)
        var idle = before.maps.indices.filter { before.maps[$0].isIdle }
        switch event {
        case .workerRegistered(let id, let slots, _, _): free[id] = free[id] ?? slots
        case .workerLost(let id, _):
            free[id] = nil
            // Its attempts and its finished maps (no reduce runs yet) are idle again.
            idle += before.maps.indices.filter { index in
                before.maps[index].running.values.contains { $0.worker == id } || before.maps[index].done?.worker == id
            }
        case .attemptSucceeded(_, let id): free[id]! += 1
        default: break
        }
        var placed: [String] = []
        for task in idle.sorted() {
            guard let worker = free.filter({ $0.value > 0 }).sorted(by: { $0.key < $1.key }).max(by: { $0.value < $1.value })?.key else { break }
            free[worker]! -= 1
            placed.append("m-\(task) on \(worker)")
        }
        return placed
    }
}
