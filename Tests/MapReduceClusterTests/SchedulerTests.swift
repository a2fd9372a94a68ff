import MapReduce
import Testing
import TestSupport

@testable import MapReduceCluster

@Suite struct SchedulerTests {
    // MARK: Slots

    @Test func aWorkerRunsNoMoreAttemptsThanItsSlots() {
        var harness = SchedulerHarness(maps: 5, reduces: 1)
        #expect(names(harness.register(1, slots: 2)) == ["run m-00000-a1 on w-1", "run m-00001-a1 on w-1"])
        #expect(names(harness.register(2)) == ["run m-00002-a1 on w-2"])
        #expect(names(harness.on(.attemptSucceeded(attempt(.map, 2, 1), on: worker(2)))) == ["run m-00003-a1 on w-2"])
        #expect(harness.running(on: 1).count == 2)
    }

    /// A worker that an earlier master of the job excluded (as its journal says) is excluded again when it comes back.
    @Test func aWorkerExcludedByAnEarlierMasterGetsNoTaskWhileAnotherCan() {
        var harness = SchedulerHarness(maps: 2, reduces: 1)
        #expect(names(harness.on(.workerRegistered(worker(1), slots: 2, excluded: true))).isEmpty)
        #expect(names(harness.register(2)) == ["run m-00000-a1 on w-2"])
    }

    @Test func everyFinishedMapIsAnnouncedOnceWhetherReducesRunOrNot() {
        var harness = SchedulerHarness(maps: 3, reduces: 1) { $0.slowStart = 0.5 }
        harness.register(1, slots: 3)
        var announced: [Scheduler.Command] = []
        for task in 0..<3 {
            announced += harness.on(.attemptSucceeded(attempt(.map, task, 1), on: worker(1))).filter {
                if case .announce = $0 { true } else { false }
            }
        }
        #expect(announced == (0..<3).map { .announce(.init(attempt: attempt(.map, $0, 1), worker: worker(1))) })
    }

    @Test func aMapOnlyJobCommitsOnceItsMapsAreDoneAndALostWorkerCostsNothing() {
        var harness = SchedulerHarness(maps: 3, reduces: 0)
        harness.register(1, slots: 2)
        harness.register(2)
        #expect(names(harness.on(.attemptSucceeded(attempt(.map, 0, 1), on: worker(1)))).isEmpty)
        // The finished map's part file is committed already: losing its worker runs nothing again.
        #expect(!names(harness.on(.workerLost(worker(1), reason: "killed"))).contains { $0.hasPrefix("rerun") })
        #expect(harness.scheduler.mapsDone == 1)
        harness.register(3, slots: 2)
        harness.on(.attemptSucceeded(attempt(.map, 2, 1), on: worker(2)))
        let last = harness.on(.attemptSucceeded(try! #require(harness.attempt("m-00001")), on: worker(3)))
        #expect(names(last) == ["commit "])
        #expect(harness.scheduler.isOver)
    }

    @Test func aMapOnlyJobWithoutInputCommitsAtOnce() {
        var harness = SchedulerHarness(maps: 0, reduces: 0)
        #expect(names(harness.register(1)) == ["commit "])
    }

    @Test func reducesWaitForTheSlowStartShareOfMaps() {
        var harness = SchedulerHarness(maps: 4, reduces: 2) { $0.slowStart = 0.75 }
        harness.register(1, slots: 4)
        harness.register(2, slots: 4)
        harness.on(.attemptSucceeded(attempt(.map, 0, 1), on: worker(1)))
        let second = harness.on(.attemptSucceeded(attempt(.map, 1, 1), on: worker(1)))
        #expect(!names(second).contains { $0.hasPrefix("run r-") })
        let third = harness.on(.attemptSucceeded(attempt(.map, 2, 1), on: worker(1)))
        #expect(names(third).filter { $0.hasPrefix("run r-") }.count == 2)
    }

    @Test func aKilledAttemptHoldsItsSlotUntilItHasStopped() {
        var harness = SchedulerHarness(maps: 2, reduces: 2) { $0.slowStart = 1 }
        harness.register(1)
        harness.register(2)
        harness.advance(.seconds(1))
        harness.on(.attemptSucceeded(attempt(.map, 0, 1), on: worker(1)))
        #expect(names(harness.advance(.seconds(10))) == ["run m-00001-a2 on w-1"])
        // The backup wins; the original is killed, and its slot stays taken until it has stopped.
        let won = harness.on(.attemptSucceeded(attempt(.map, 1, 2), on: worker(1)))
        #expect(names(won) == ["kill m-00001-a1 on w-2", "run r-00000-a1 on w-1"])
        #expect(harness.advance(.seconds(1)).isEmpty)
        #expect(names(harness.on(.attemptStopped(attempt(.map, 1, 1), on: worker(2)))) == ["run r-00001-a1 on w-2"])
    }

    @Test func attemptsOfTheLastJobHoldTheirSlotsUntilTheyHaveStopped() {
        var last = SchedulerHarness(maps: 2, reduces: 1)
        last.register(1)
        last.on(.attemptSucceeded(attempt(.map, 0, 1), on: worker(1)))
        // The job ends (given up) with m-00001 still running; it stops only when its worker says so.
        last.scheduler.abandon()
        #expect(last.on(.attemptFailed(attempt(.map, 1, 1), on: worker(1), message: "late", record: nil)).isEmpty)
        #expect(last.scheduler.workers[worker(1)]?.running.isEmpty == true)
        var next = SchedulerHarness(maps: 1, reduces: 1, job: 2)
        let old = attempt(.map, 1, 2)
        #expect(next.on(.workerRegistered(worker(1), slots: 1, stopping: [old])).isEmpty)
        #expect(names(next.on(.attemptStopped(old, on: worker(1)))) == ["run j2-m-00000-a1 on w-1"])
    }

    // MARK: Fair blame

    @Test func attemptsLostWithABusyWorkerAreKilledNotCharged() {
        var harness = SchedulerHarness(maps: 3, reduces: 1)
        harness.register(1, slots: 2)
        harness.register(2)
        #expect(harness.on(.workerLost(worker(1), reason: "connection closed")).isEmpty)
        #expect(names(harness.on(.attemptSucceeded(attempt(.map, 2, 1), on: worker(2)))) == ["run m-00000-a2 on w-2"])
        #expect(harness.scheduler.maps[0].failures == 0 && harness.scheduler.maps[0].deaths == 0)
        #expect(harness.scheduler.maps[1].deaths == 0)
        #expect(harness.scheduler.counters[.killedAttempts] == 2)
        #expect(harness.scheduler.counters[.failedMapAttempts] == 0)
    }

    @Test func aTaskThatKeepsTakingItsWorkerDownIsGivenUpWithItsProgress() {
        var harness = SchedulerHarness(maps: 1, reduces: 1) { $0.maxWorkerDeaths = 3 }
        var last: [Scheduler.Command] = []
        for number in 1...3 {
            harness.register(number)
            let running = harness.attempt("m-00000")!
            harness.scheduler.progress(of: running, on: worker(number), records: Int64(100 * number))
            last = harness.on(.workerLost(worker(number), reason: "connection closed"))
        }
        #expect(harness.scheduler.maps[0].deaths == 3)
        #expect(
            last == [
                .failJob(
                    TaskGivenUp(
                        attempt: attempt(.map, 0, 3), reason: .killedWorkers(times: 3, records: 300, lastReason: "connection closed")))
            ])
        #expect(harness.scheduler.isOver)
        #expect(harness.register(4).isEmpty)
    }

    @Test func aReduceLostWhileStillFetchingIsNotChargedWithTheDeath() throws {
        var harness = SchedulerHarness(maps: 2, reduces: 1) { $0.slowStart = 0.5 }
        harness.register(1)
        harness.register(2)
        harness.on(.attemptSucceeded(attempt(.map, 0, 1), on: worker(1)))
        #expect(harness.running(on: 1) == ["r-00000-a1"])
        harness.on(.outputsFetched(reduce: attempt(.reduce, 0, 1), maps: [0...0], on: worker(1)))
        harness.on(.workerLost(worker(1), reason: "killed"))
        #expect(harness.scheduler.reduces[0].deaths == 0)
        // Once it holds every map output, it runs the reducer: a death then is its own.
        harness.register(3)
        harness.on(.attemptSucceeded(attempt(.map, 0, 2), on: worker(3)))
        harness.on(.attemptSucceeded(attempt(.map, 1, 1), on: worker(2)))
        let second = try #require(harness.attempt("r-00000"))
        let host = harness.scheduler.runningAttempt(second)!.worker
        #expect(harness.running(on: host.number) == [second.description])
        harness.on(.outputsFetched(reduce: second, maps: [0...1], on: host))
        harness.on(.workerLost(host, reason: "killed"))
        #expect(harness.scheduler.reduces[0].deaths == 1)
    }

    @Test func thrownErrorsAreChargedToTheTaskUpToMaxAttempts() {
        var harness = SchedulerHarness(maps: 1, reduces: 1) { $0.maxAttempts = 3 }
        harness.register(1)
        harness.register(2)
        for number in 1...2 {
            let running = harness.attempt("m-00000")!
            harness.on(.attemptFailed(running, on: harness.scheduler.runningAttempt(running)!.worker, message: "bad \(number)", record: 7))
        }
        let running = harness.attempt("m-00000")!
        let last = harness.on(.attemptFailed(running, on: harness.scheduler.runningAttempt(running)!.worker, message: "bad 3", record: 7))
        #expect(last == [.failJob(TaskGivenUp(attempt: running, reason: .failed(times: 3, lastError: "bad 3")))])
        #expect(harness.scheduler.counters[.failedMapAttempts] == 3)
    }

    @Test func aRetryAvoidsTheWorkerItFailedOn() {
        var harness = SchedulerHarness(maps: 2, reduces: 1) { $0.slowStart = 1 }
        harness.register(1)
        harness.register(2)
        let retry = harness.on(.attemptFailed(attempt(.map, 0, 1), on: worker(1), message: "bad", record: nil))
        // w-1 is free but m-00000 failed there; it waits for w-2.
        #expect(retry.isEmpty)
        #expect(names(harness.on(.attemptSucceeded(attempt(.map, 1, 1), on: worker(2)))) == ["run m-00000-a2 on w-2"])
    }

    @Test func aWorkerThatFailsSeveralTasksIsExcludedAndTheTaskIsNotCharged() {
        var harness = SchedulerHarness(maps: 4, reduces: 1)
        harness.register(1)
        harness.register(2)
        harness.on(.attemptFailed(attempt(.map, 0, 1), on: worker(1), message: "disk full", record: nil))
        #expect(harness.scheduler.maps[0].failures == 1)
        #expect(harness.running(on: 1) == ["m-00002-a1"])
        let second = harness.on(.attemptFailed(attempt(.map, 2, 1), on: worker(1), message: "disk full", record: nil))
        #expect(names(second) == ["exclude w-1"])
        #expect(harness.scheduler.maps[2].failures == 0)
        // The excluded worker gets nothing more while w-2 is there.
        for task in [1, 0, 2] {
            let running = harness.attempt(String(format: "m-%05d", task))!
            #expect(harness.scheduler.runningAttempt(running)?.worker == worker(2))
            harness.on(.attemptSucceeded(running, on: worker(2)))
        }
        #expect(harness.running(on: 1).isEmpty)
    }

    @Test func aFastFailingWorkerThatCameFirstDoesNotUseUpATask() {
        var harness = SchedulerHarness(maps: 8, reduces: 1)
        harness.register(1)
        for _ in 0..<2 {
            let running = harness.scheduler.workers[worker(1)]!.running.first!
            harness.on(.attemptFailed(running, on: worker(1), message: "No space left on device", record: nil))
        }
        #expect(harness.scheduler.isExcluded(worker(1)))
        #expect(harness.advance(.seconds(1)).isEmpty)
        #expect(harness.scheduler.maps.map(\.failures).max() == 1)
        let healthy = harness.register(2)
        #expect(names(healthy) == ["run m-00000-a2 on w-2"])
    }

    @Test func withEveryWorkerExcludedABrokenJobStillFailsInBoundedTime() {
        var harness = SchedulerHarness(maps: 2, reduces: 1) { $0.maxAttempts = 2 }
        harness.register(1)
        var failed: TaskGivenUp?
        for _ in 0..<20 where failed == nil {
            if let running = harness.scheduler.workers[worker(1)]!.running.first {
                let commands = harness.on(.attemptFailed(running, on: worker(1), message: "always", record: nil))
                for case .failJob(let givenUp) in commands { failed = givenUp }
            } else {
                harness.advance(.seconds(1))
            }
        }
        #expect(failed?.reason == .failed(times: 2, lastError: "always"))
        #expect(harness.now <= Scheduler.exclusionProbation + .seconds(1))
    }

    // MARK: Preemption and re-runs

    @Test func aMapThatFindsEverySlotHeldByWaitingReducesPreemptsOne() {
        var harness = SchedulerHarness(maps: 3, reduces: 3) { $0.slowStart = 1 }
        for number in 1...3 { harness.register(number) }
        for task in 0..<3 { harness.on(.attemptSucceeded(attempt(.map, task, 1), on: worker(task + 1))) }
        #expect(harness.running(on: 1) == ["r-00000-a1"] && harness.running(on: 2) == ["r-00001-a1"])
        harness.on(.outputsFetched(reduce: attempt(.reduce, 0, 1), maps: [0...2], on: worker(1)))
        harness.on(.outputsFetched(reduce: attempt(.reduce, 1, 1), maps: [0...0], on: worker(2)))
        // w-3 dies: its map output is needed again, and every slot left holds a reduce. The map
        // waits a while (a replacement of w-3 might recover the output), then preempts one.
        #expect(names(harness.on(.workerLost(worker(3), reason: "killed"))) == ["rerun m-2"])
        #expect(harness.advance(Scheduler.preemptionDelay - .milliseconds(1)).isEmpty)
        #expect(names(harness.advance(.milliseconds(1))) == ["kill r-00001-a1 on w-2"])
        #expect(harness.running(on: 1) == ["r-00000-a1"])
        // The slot is free once the killed reduce has stopped; the map takes it, before any reduce.
        #expect(harness.advance(.seconds(1)).isEmpty)
        let stopped = harness.on(.attemptStopped(attempt(.reduce, 1, 1), on: worker(2)))
        #expect(names(stopped) == ["run m-00002-a2 on w-2"])
        #expect(harness.scheduler.counters[.failedReduceAttempts] == 0)
    }

    @Test func aReduceThatHoldsTheWaitingMapsOutputIsNotPreemptedForIt() {
        var harness = SchedulerHarness(maps: 3, reduces: 3) { $0.slowStart = 1 }
        for number in 1...3 { harness.register(number) }
        for task in 0..<3 { harness.on(.attemptSucceeded(attempt(.map, task, 1), on: worker(task + 1))) }
        harness.on(.outputsFetched(reduce: attempt(.reduce, 0, 1), maps: [0...2], on: worker(1)))
        // r-00001 lacks map 1's output, but holds map 2's, the one that must run again.
        harness.on(.outputsFetched(reduce: attempt(.reduce, 1, 1), maps: [0...0, 2...2], on: worker(2)))
        harness.on(.workerLost(worker(3), reason: "killed"))
        #expect(harness.advance(Scheduler.preemptionDelay + .seconds(1)).isEmpty)
        #expect(harness.running(on: 2) == ["r-00001-a1"])
    }

    @Test func aLostMapOutputRunsAgainOnlyIfAReduceStillNeedsIt() {
        var harness = SchedulerHarness(maps: 2, reduces: 1) { $0.slowStart = 1 }
        harness.register(1)
        harness.register(2)
        harness.on(.attemptSucceeded(attempt(.map, 0, 1), on: worker(1)))
        harness.on(.attemptSucceeded(attempt(.map, 1, 1), on: worker(2)))
        let reduce = harness.attempt("r-00000")!
        let reducer = harness.scheduler.runningAttempt(reduce)!.worker
        let other = reducer == worker(1) ? worker(2) : worker(1)
        harness.on(.outputsFetched(reduce: reduce, maps: [0...1], on: reducer))
        #expect(harness.on(.workerLost(other, reason: "killed")).isEmpty)
        #expect(harness.scheduler.mapsDone == 2)
        // Had the reduce lacked it, it would run again: lose the reducer and its fetched copies.
        harness.register(3)
        let lost = harness.on(.workerLost(reducer, reason: "killed"))
        #expect(names(lost).filter { $0.hasPrefix("rerun") }.sorted() == ["rerun m-0", "rerun m-1"])
        #expect(names(lost).filter { $0.hasPrefix("run") } == ["run m-00000-a2 on w-3"])
    }

    @Test func aRecoveredMapOutputSparesTheMapItsRerun() throws {
        var harness = SchedulerHarness(maps: 2, reduces: 1) { $0.slowStart = 1 }
        harness.register(1)
        harness.register(2)
        harness.on(.attemptSucceeded(attempt(.map, 0, 1), on: worker(1)))
        // w-1 dies; the reduce has not started, so m-00000 must run again.
        #expect(names(harness.on(.workerLost(worker(1), reason: "killed"))) == ["rerun m-0"])
        #expect(names(harness.register(3)) == ["run m-00000-a2 on w-3"])
        // w-3 found w-1's output on their host: the re-run is killed, and the output counts.
        let recovered = harness.on(.outputsRecovered([attempt(.map, 0, 1)], on: worker(3)))
        #expect(names(recovered) == ["kill m-00000-a2 on w-3"])
        #expect(recovered.contains(.announce(.init(attempt: attempt(.map, 0, 1), worker: worker(3)))))
        #expect(harness.scheduler.mapsDone == 1)
        let reduce = harness.on(.attemptSucceeded(attempt(.map, 1, 1), on: worker(2)))
        #expect(names(reduce).contains { $0.hasPrefix("run r-00000-a1") })
        #expect(
            harness.scheduler.mapOutputs()
                == [.init(attempt: attempt(.map, 0, 1), worker: worker(3)), .init(attempt: attempt(.map, 1, 1), worker: worker(2))])
    }

    @Test func onlyOutputsOfFinishedAttemptsWhoseWorkerIsGoneAreTaken() {
        var harness = SchedulerHarness(maps: 2, reduces: 1) { $0.slowStart = 1 }
        harness.register(1)
        harness.register(2)
        harness.on(.attemptSucceeded(attempt(.map, 0, 1), on: worker(1)))
        harness.register(3)
        // An attempt that never finished, one whose worker is alive, and one of another job count for nothing.
        let claims = [attempt(.map, 1, 1), attempt(.map, 0, 1), AttemptID(.map, task: 0, attempt: 1, job: 2)]
        #expect(harness.on(.outputsRecovered(claims, on: worker(3))).isEmpty)
        #expect(harness.scheduler.maps[0].done?.worker == worker(1))
        #expect(harness.scheduler.maps[1].done == nil)
    }

    // MARK: Backups

    @Test func aBackupStartsOnlyForALongStragglerOnAFreeSlotAndOnce() {
        var harness = SchedulerHarness(maps: 3, reduces: 1) { $0.slowStart = 1 }
        harness.register(1)
        harness.register(2)
        harness.register(3)
        harness.advance(.seconds(1))
        harness.on(.attemptSucceeded(attempt(.map, 0, 1), on: worker(1)))
        harness.on(.attemptSucceeded(attempt(.map, 1, 1), on: worker(2)))
        // m-00002 is far slower than its peers (1 s), but younger than the 10 s minimum: no backup.
        #expect(harness.advance(.seconds(8)).filter { names([$0])[0].hasPrefix("run m") }.isEmpty)
        let backup = harness.advance(.seconds(2))
        #expect(names(backup).contains("run m-00002-a2 on w-2") || names(backup).contains("run m-00002-a2 on w-1"))
        #expect(harness.scheduler.counters[.launchedBackupAttempts] == 1)
        let won = harness.on(.attemptSucceeded(attempt(.map, 2, 1), on: worker(3)))
        #expect(names(won).contains { $0.hasPrefix("kill m-00002-a2") })
        #expect(harness.scheduler.counters[.wastedBackupAttempts] == 1)
        #expect(harness.scheduler.maps[2].backedUp)
    }

    @Test func aStragglingMapsBackupPreemptsAReduceThatWaitsForIt() {
        var harness = SchedulerHarness(maps: 3, reduces: 1)
        harness.register(1)
        harness.register(2)
        harness.advance(.seconds(1))
        harness.on(.attemptSucceeded(attempt(.map, 1, 1), on: worker(2)))
        harness.on(.attemptSucceeded(attempt(.map, 2, 1), on: worker(2)))
        #expect(harness.running(on: 2) == ["r-00000-a1"])
        // m-00000 straggles on w-1; the only other slot holds the reduce, which waits for it.
        #expect(names(harness.advance(.seconds(10))) == ["kill r-00000-a1 on w-2"])
        let stopped = harness.on(.attemptStopped(attempt(.reduce, 0, 1), on: worker(2)))
        #expect(names(stopped) == ["run m-00000-a2 on w-2"])
        #expect(harness.scheduler.counters[.launchedBackupAttempts] == 1)
        // The backup wins; the reduce runs again once a slot is free.
        let won = harness.on(.attemptSucceeded(attempt(.map, 0, 2), on: worker(2)))
        #expect(names(won) == ["kill m-00000-a1 on w-1", "run r-00000-a2 on w-2"])
    }

    @Test func mapsOfTwoToFiveSecondsRunExactlyOnce() {
        var harness = SchedulerHarness(maps: 8, reduces: 2)
        harness.register(1)
        harness.register(2)
        var ends: [AttemptID: Duration] = [:]
        var random = SeededRandom(seed: 42)
        while !harness.scheduler.isOver {
            for running in harness.scheduler.workers.values.flatMap(\.running) where ends[running] == nil {
                ends[running] = harness.now + .milliseconds(Int.random(in: 2000..<5000, using: &random))
            }
            harness.advance(.milliseconds(500))
            for (running, end) in ends where end <= harness.now {
                if let worker = harness.scheduler.runningAttempt(running)?.worker {
                    harness.on(.attemptSucceeded(running, on: worker))
                }
                ends[running] = nil
            }
        }
        #expect(harness.scheduler.counters[.launchedBackupAttempts] == 0)
        #expect(harness.scheduler.history.filter { $0.attempt.kind == .map }.count == 8)
    }
}
