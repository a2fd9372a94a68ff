import Foundation
import Testing
import TestSupport

/// `master` and `worker` started by hand, as across hosts, with secret files.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct MasterWorkerCommandTests {
    @Test func workersWithTheSecretFinishTheJobAndOneWithoutIsTurnedAway() async throws {
        let directory = try TemporaryDirectory()
        var texts: [[UInt8]] = []
        for name in ["a", "b"] {
            var random = RandomText(seed: name == "a" ? 77 : 78)
            texts.append(random.make(size: 20_000))
            try directory.write("input/\(name).txt", texts.last!)
        }
        let secret = try directory.write("secret", Array("correct horse battery staple".utf8))
        let wrong = try directory.write("wrong", Array("incorrect donkey battery staple".utf8))
        let gate = "\(directory.path)/gate"
        let out = "\(directory.path)/out"
        // The map of b.txt waits at the gate until both workers are in.
        let master = try ChildProcess("testjobs", [
            "master", "--job", "paced", "--listen", "127.0.0.1:0", "--secret-file", secret, "--reducers", "2", "--split-size", "64K",
            "--param", "gate=\(gate)", "--param", "gated=b.txt", "--log-level", "info", "--output", out, "\(directory.path)/input",
        ])
        let port = try await master.waitForStandardError(matching: "master listening on 127\\.0\\.0\\.1:(\\d+)")

        let intruder = try await ChildProcess.run("testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", wrong])
        #expect(intruder.status != 0)
        #expect(intruder.errorLines.count == 1)
        #expect(intruder.standardError.contains("authentication failed"), "\(intruder.standardError)")
        _ = try await master.waitForStandardError(matching: "(failed to authenticate \\(wrong secret\\))")

        let work = "\(directory.path)/work"
        let workers = try (0..<2).map { _ in
            try ChildProcess("testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", secret, "--work-dir", work])
        }
        _ = try await master.waitForStandardError(matching: "(worker registered(.|\\n)*){2}")
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        let finished = try await master.wait(timeout: 60)
        #expect(finished.status == 0, "\(finished.standardError)")
        for worker in workers {
            let result = try await worker.wait(timeout: 30)
            #expect(result.status == 0, "\(result.standardError)")
        }
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        #expect(lines.map(String.init).sorted() == ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted())
        #expect(FileManager.default.fileExists(atPath: "\(out)/_job.json"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: work)
        #expect(leftovers.isEmpty, "work directories left behind: \(leftovers)")
    }

    @Test func aWorkerWithoutASecretOrMasterIsAClearError() async throws {
        let noSecret = try await ChildProcess.run("wordcount", ["worker", "--master", "127.0.0.1:1"])
        #expect(noSecret.status != 0)
        #expect(noSecret.errorLines == ["wordcount: error: a worker needs --secret-file (or MAPREDUCE_SECRET in its environment)"])
        let directory = try TemporaryDirectory()
        let secret = try directory.write("secret", Array("correct horse battery staple".utf8))
        let unreachable = try await ChildProcess.run(
            "wordcount", ["worker", "--master", "127.0.0.1:1", "--secret-file", secret, "--connect-timeout", "0.5"])
        #expect(unreachable.status != 0)
        #expect(unreachable.errorLines.count == 1)
        #expect(unreachable.standardError.contains("cannot reach the master at 127.0.0.1:1"))
        let badAddress = try await ChildProcess.run(
            "wordcount", ["worker", "--master", "127.0.0.1:1", "--secret-file", secret, "--advertise", "my host"])
        #expect(badAddress.status != 0)
        #expect(badAddress.errorLines == ["wordcount: error: my host is not a host name or address other workers can reach"])
    }

    @Test func withoutReducersAMasterHasOneReduceTaskPerSlotOfTheWorkersRegisteredAtTheStart() async throws {
        let directory = try TemporaryDirectory()
        var random = RandomText(seed: 79)
        let text = random.make(size: 20_000)
        try directory.write("input/a.txt", text)
        let secret = try directory.write("secret", Array("correct horse battery staple".utf8))
        let master = try ChildProcess("wordcount", [
            "master", "--listen", "127.0.0.1:0", "--secret-file", secret, "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        let port = try await master.waitForStandardError(matching: "master listening on 127\\.0\\.0\\.1:(\\d+)")
        let worker = try ChildProcess("wordcount", [
            "worker", "--master", "127.0.0.1:\(port)", "--secret-file", secret, "--slots", "3", "--work-dir", "\(directory.path)/work",
        ])
        let finished = try await master.wait(timeout: 60)
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(try await worker.wait(timeout: 30).status == 0)
        let parts = try directory.partFiles("out")
        #expect(parts.count == 3)
        let lines = parts.flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n").map(String.init) }
        #expect(lines.sorted() == ReferenceWords.count([text]).map { "\($0.key)\t\($0.value)" }.sorted())
    }
}
}
