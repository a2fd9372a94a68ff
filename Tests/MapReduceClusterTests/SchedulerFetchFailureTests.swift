import MapReduce
import Testing

@testable import MapReduceCluster

/// Whom the scheduler believes when a reducer says it cannot fetch a map output.
@Suite struct SchedulerFetchFailureTests {
    /// One map done on w-1, and `reduces` reduce attempts running on the other workers (or on w-1
    /// alone, with `oneWorker`).
    static func started(reduces: Int, oneWorker: Bool = false) -> SchedulerHarness {
        var harness = SchedulerHarness(maps: 1, reduces: reduces) { $0.slowStart = 1 }
        harness.register(1, slots: oneWorker ? reduces : 1)
        harness.on(.attemptSucceeded(attempt(.map, 0, 1), on: worker(1)))
        if !oneWorker {
            for number in 2...(reduces + 1) { harness.register(number) }
        }
        return harness
    }

    static func reducer(_ harness: SchedulerHarness, _ task: Int) -> (AttemptID, WorkerID) {
        let reduce = attempt(.reduce, task, 1)
        return (reduce, harness.scheduler.runningAttempt(reduce)!.worker)
    }

    @Test func reportsFromAWorkerThatDoesNotRunTheReduceOrAboutOtherOutputsAreIgnored() {
        var harness = Self.started(reduces: 1)
        let (reduce, reducer) = Self.reducer(harness, 0)
        let outsider = reducer == worker(2) ? worker(1) : worker(2)
        let output = attempt(.map, 0, 1)
        for _ in 0..<10 {
            #expect(harness.on(.fetchFailed(map: output, reduce: reduce, on: outsider, message: "forged")).isEmpty)
        }
        #expect(harness.scheduler.whyIgnored(fetchFailureOf: output, by: reduce, on: outsider) == "the reduce attempt does not run on the sender")
        for map in [attempt(.map, 0, 2), attempt(.map, 5, 1), AttemptID(.map, task: 0, attempt: 1, job: 7)] {
            #expect(harness.on(.fetchFailed(map: map, reduce: reduce, on: reducer, message: "stale")).isEmpty)
        }
        #expect(harness.on(.fetchFailed(map: output, reduce: attempt(.reduce, 0, 9), on: reducer, message: "forged")).isEmpty)
        harness.on(.outputsFetched(reduce: reduce, maps: [0...0], on: reducer))
        #expect(harness.on(.fetchFailed(map: output, reduce: reduce, on: reducer, message: "after all")).isEmpty)
        #expect(harness.scheduler.mapsDone == 1 && harness.scheduler.maps[0].failures == 0)
        #expect(harness.running(on: reducer.number) == ["r-00000-a1"])
    }

    @Test func aLoneReportIsCheckedByTheMasterAndABrokenOutputRunsAgain() {
        var harness = Self.started(reduces: 1)
        let (reduce, reducer) = Self.reducer(harness, 0)
        let first = harness.on(.fetchFailed(map: attempt(.map, 0, 1), reduce: reduce, on: reducer, message: "refused"))
        #expect(names(first) == ["check m-00000-a1 partition 0 on w-1"])
        // Asked once: a second report waits for the same check.
        #expect(harness.on(.fetchFailed(map: attempt(.map, 0, 1), reduce: reduce, on: reducer, message: "refused")).isEmpty)
        let output = Scheduler.MapOutputAt(attempt: attempt(.map, 0, 1), worker: worker(1))
        let checked = harness.on(.outputChecked(output, problem: "connection refused"))
        #expect(names(checked).contains("rerun m-0"))
        #expect(names(checked).contains { $0.hasPrefix("run m-00000-a2") })
        #expect(harness.scheduler.maps[0].failures == 1)
        #expect(harness.scheduler.counters[.failedReduceAttempts] == 0)
    }

    @Test func aReducerThatKeepsFailingOnAnOutputTheMasterFetchedIsFailedAndStopped() {
        var harness = Self.started(reduces: 1)
        let (reduce, reducer) = Self.reducer(harness, 0)
        let output = attempt(.map, 0, 1)
        harness.on(.fetchFailed(map: output, reduce: reduce, on: reducer, message: "refused"))
        harness.on(.fetchFailed(map: output, reduce: reduce, on: reducer, message: "refused"))
        #expect(harness.on(.outputChecked(Scheduler.MapOutputAt(attempt: output, worker: worker(1)), problem: nil)).isEmpty)
        let third = names(harness.on(.fetchFailed(map: output, reduce: reduce, on: reducer, message: "refused")))
        #expect(third.contains("kill r-00000-a1 on \(reducer)") && third.contains("blame r-00000-a1 on \(reducer)"))
        #expect(!third.contains { $0.hasPrefix("rerun") })
        #expect(harness.scheduler.counters[.failedReduceAttempts] == 1)
        #expect(harness.scheduler.reduces[0].failures == 1 && harness.scheduler.maps[0].failures == 0)
        #expect(harness.scheduler.mapsDone == 1)
        // It holds its slot until its code has stopped.
        #expect(harness.scheduler.workers[reducer]?.stopping == [reduce])
    }

    @Test func aReducerThatFailsWhereAnotherFetchedIsBlamedWithoutACheck() {
        var harness = Self.started(reduces: 2)
        let (good, goodWorker) = Self.reducer(harness, 1)
        let (bad, badWorker) = Self.reducer(harness, 0)
        harness.on(.outputsFetched(reduce: good, maps: [0...0], on: goodWorker))
        let output = attempt(.map, 0, 1)
        #expect(harness.on(.fetchFailed(map: output, reduce: bad, on: badWorker, message: "refused")).isEmpty)
        #expect(harness.on(.fetchFailed(map: output, reduce: bad, on: badWorker, message: "refused")).isEmpty)
        let third = names(harness.on(.fetchFailed(map: output, reduce: bad, on: badWorker, message: "refused")))
        #expect(third.contains("kill r-00000-a1 on \(badWorker)"))
        #expect(!third.contains { $0.hasPrefix("rerun") || $0.hasPrefix("check") })
        #expect(harness.running(on: goodWorker.number) == ["r-00001-a1"])
    }

    @Test func reducersOnTwoWorkersCorroborateEachOther() {
        var harness = Self.started(reduces: 2)
        let (first, firstWorker) = Self.reducer(harness, 0)
        let (second, secondWorker) = Self.reducer(harness, 1)
        let output = attempt(.map, 0, 1)
        #expect(names(harness.on(.fetchFailed(map: output, reduce: first, on: firstWorker, message: "refused"))).count == 1)
        let corroborated = names(harness.on(.fetchFailed(map: output, reduce: second, on: secondWorker, message: "refused")))
        #expect(corroborated.contains("rerun m-0"))
        #expect(harness.scheduler.maps[0].failures == 1)
        // Its reducers keep running, waiting for the new output.
        #expect(harness.scheduler.runningReduces().count == 2)
    }

    @Test func reducersOnOneWorkerDoNotCorroborateEachOther() {
        var harness = Self.started(reduces: 2, oneWorker: true)
        let output = attempt(.map, 0, 1)
        let first = harness.on(.fetchFailed(map: output, reduce: attempt(.reduce, 0, 1), on: worker(1), message: "refused"))
        #expect(names(first) == ["check m-00000-a1 partition 0 on w-1"])
        #expect(harness.on(.fetchFailed(map: output, reduce: attempt(.reduce, 1, 1), on: worker(1), message: "refused")).isEmpty)
        #expect(harness.scheduler.mapsDone == 1)
    }

    @Test func aCheckOfAnOutputThatHasSinceChangedIsIgnored() {
        var harness = Self.started(reduces: 1)
        let (reduce, reducer) = Self.reducer(harness, 0)
        harness.on(.fetchFailed(map: attempt(.map, 0, 1), reduce: reduce, on: reducer, message: "refused"))
        // The holder dies: the map runs again anyway; the late check changes nothing.
        #expect(names(harness.on(.workerLost(worker(1), reason: "killed"))).contains("rerun m-0"))
        let late = harness.on(.outputChecked(Scheduler.MapOutputAt(attempt: attempt(.map, 0, 1), worker: worker(1)), problem: "gone"))
        #expect(!names(late).contains { $0.hasPrefix("rerun") })
        #expect(harness.scheduler.maps[0].failures == 0)
    }
}
