import Foundation
import MapReduce
import Testing
import TestSupport

@testable import MapReduceCluster

/// The job journal: whatever a crash leaves of it reads as a prefix of what
/// was written, and a replay gives a restarted master what it needs.
@Suite struct JournalTests {
    /// A plan of a small job writing into `output`.
    static func plan(
        _ directory: TemporaryDirectory, output: String = "out", reducers: Int = 2, resume: Bool = false, text: String = "one two\nthree\n"
    ) throws -> JobPlan {
        let input = try directory.write("input.txt", Array(text.utf8))
        var configuration = JobConfiguration(inputs: [input], outputDirectory: "\(directory.path)/\(output)")
        configuration.reducers = reducers
        configuration.resumesOutput = resume
        return try JobPlan(job: AnyJob(WorkerPoolTests.LineCount.self), configuration: configuration, workDirectory: "")
    }

    static func finished(_ attempt: AttemptID, seconds: Double = 1) -> FinishedTask {
        var counters = Counters()
        counters.add(.mapInputRecords, 3)
        return FinishedTask(attempt: attempt, worker: "w-1", shuffle: "127.0.0.1:9", started: 0.5, seconds: seconds, counters: counters)
    }

    /// The records a journal of `plan` holds after a master ran two maps and committed a reduce.
    static func records(_ plan: JobPlan) throws -> [JournalRecord] {
        [
            .job(try JobIdentity(plan), master: "cafe"),
            .masterStarted(run: 1),
            .launched(AttemptID(.map, task: 0, attempt: 1, job: 1)),
            .launched(AttemptID(.map, task: 1, attempt: 1, job: 1)),
            .mapSucceeded(Self.finished(AttemptID(.map, task: 0, attempt: 1, job: 1))),
            .launched(AttemptID(.map, task: 1, attempt: 2, job: 1)),
            .workerExcluded("127.0.0.1:7"),
            .mapSucceeded(Self.finished(AttemptID(.map, task: 1, attempt: 2, job: 1))),
            .launched(AttemptID(.reduce, task: 1, attempt: 1, job: 1)),
            .taskCommitted(Self.finished(AttemptID(.reduce, task: 1, attempt: 1, job: 1), seconds: 2)),
        ]
    }

    static func write(_ records: [JournalRecord], in directory: String) throws {
        let journal = try JournalFile.create(in: directory, first: records[0])
        for record in records.dropFirst() { try journal.append(record, sync: false) }
    }

    /// A journal of `records(_:)` written in `directory`'s output: the records, the journal's path and its bytes.
    static func journal(in directory: TemporaryDirectory) throws -> (records: [JournalRecord], path: String, bytes: Data) {
        let plan = try Self.plan(directory)
        let records = try Self.records(plan)
        try Self.write(records, in: plan.committer.temporaryDirectory)
        let path = "\(plan.committer.temporaryDirectory)/\(JournalFile.name)"
        return (records, path, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func everyCutOfTheJournalReadsAsAPrefixOfItsRecords() throws {
        let directory = try TemporaryDirectory()
        let (records, path, whole) = try Self.journal(in: directory)
        #expect(try JournalFile.read(at: path).records == records)
        for length in 0..<whole.count {
            try whole.prefix(length).write(to: URL(fileURLWithPath: path))
            guard length >= JournalFile.magic.count else {
                #expect(throws: JobError.self, "cut to \(length)") { try JournalFile.read(at: path) }
                continue
            }
            let contents = try JournalFile.read(at: path)
            #expect(Array(records.prefix(contents.records.count)) == contents.records, "cut to \(length)")
            #expect(contents.length + contents.ignored == Int64(length))
            // Only the record the cut went through is lost.
            #expect(contents.ignored < 8 + 2048, "cut to \(length)")
        }
    }

    @Test func aDamagedRecordEndsTheReadablePrefix() throws {
        let directory = try TemporaryDirectory()
        let (records, path, whole) = try Self.journal(in: directory)
        var random = SeededRandom(seed: 16)
        for _ in 0..<200 {
            var damaged = whole
            let position = JournalFile.magic.count + Int(random.next() % UInt64(whole.count - JournalFile.magic.count))
            damaged[position] ^= UInt8(1 << (random.next() % 8))
            try damaged.write(to: URL(fileURLWithPath: path))
            let contents = try JournalFile.read(at: path)
            #expect(contents.records.count < records.count, "flipped byte \(position)")
            #expect(Array(records.prefix(contents.records.count)) == contents.records)
            #expect(contents.ignored > 0)
        }
    }

    @Test func aReplayNumbersAttemptsAboveTheJournaledAndKeepsWhatFinished() throws {
        let directory = try TemporaryDirectory()
        let plan = try Self.plan(directory)
        let records = try Self.records(plan)
        try Self.write(records + [.masterStarted(run: 2)], in: plan.committer.temporaryDirectory)
        let recovery = try JobRecovery.read(for: try Self.plan(directory, resume: true))
        #expect(recovery.master == "cafe")
        #expect(recovery.masterRun == 3)
        #expect(recovery.launched[AttemptID(.map, task: 1, attempt: 0, job: 1)] == 2)
        #expect(recovery.launched[AttemptID(.reduce, task: 1, attempt: 0, job: 1)] == 1)
        #expect(recovery.maps.mapValues(\.task.attempt.attempt) == [0: 1, 1: 2])
        #expect(recovery.committed.keys.map(\.task) == [1])
        #expect(recovery.excluded == ["127.0.0.1:7"])
        #expect(!recovery.commitStarted)
        #expect(recovery.ignoredBytes == 0)
    }

    @Test func aJournalOfAnotherJobIsRefusedNamingTheDifference() throws {
        let directory = try TemporaryDirectory()
        let plan = try Self.plan(directory)
        try Self.write(try Self.records(plan), in: plan.committer.temporaryDirectory)
        #expect(throws: JobError("the journal \(plan.committer.temporaryDirectory)/_journal is of another job: it had 2 reduce tasks, not 3")) {
            try JobRecovery.read(for: try Self.plan(directory, reducers: 3, resume: true))
        }
        // Inputs are told apart by their paths and sizes.
        #expect(throws: JobError.self) { try JobRecovery.read(for: try Self.plan(directory, resume: true, text: "one two\nthree four\n")) }
    }

    @Test func anOutputWithoutAJournalHasNothingToRecover() throws {
        let directory = try TemporaryDirectory()
        _ = try Self.plan(directory)
        #expect(throws: JobError.self) { try JobRecovery.read(for: try Self.plan(directory, resume: true)) }
        #expect(throws: JobError.self) { try Self.plan(directory, output: "elsewhere", resume: true) }
    }

    /// docs/journal.md names every kind of record, with the fields it holds.
    @Test func theDocNamesEveryKindOfRecordAndItsFields() throws {
        let directory = try TemporaryDirectory()
        let records = try Self.records(try Self.plan(directory)) + [.commitStarted]
        let doc = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/journal.md"),
            encoding: .utf8)
        let rows = Dictionary(
            doc.split(separator: "\n").compactMap { line -> (String, String)? in
                guard let match = line.firstMatch(of: /^\| `(\w+)` \| ([^|]*) \|/) else { return nil }
                return (String(match.output.1), String(match.output.2))
            }, uniquingKeysWith: { first, _ in first })
        var kinds: Set<String> = []
        for record in records {
            let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? [String: [String: Any]] ?? [:]
            for (kind, fields) in json {
                kinds.insert(kind)
                let row = try #require(rows[kind], "docs/journal.md has no row for \(kind)")
                for field in fields.keys { #expect(row.contains("`\(field)`"), "the row of \(kind) does not name \(field)") }
            }
        }
        #expect(kinds.count == 7)
    }
}
