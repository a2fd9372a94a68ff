import Foundation
import Testing
import TestSupport

/// Peers that hold the secret are not starved by a flood of connections that do not.
extension EndToEnd {
@Suite(.timeLimit(.minutes(2)))
struct FloodTests {
    @Test func workersRegisterAndAJobFinishesRightUnderAFloodOnEveryPort() async throws {
        let directory = try TemporaryDirectory()
        var texts: [[UInt8]] = []
        for (index, name) in ["a", "b", "c"].enumerated() {
            var random = RandomText(seed: 70 + UInt64(index))
            texts.append(random.make(size: 30_000))
            try directory.write("input/\(name).txt", texts.last!)
        }
        let secretFile = try directory.write("secret", Array("a secret for a flooded cluster".utf8))
        let gate = "\(directory.path)/gate"
        // With at most 1,024 open files, each process's handshake table holds 256 connections:
        // fewer than the flood holds open.
        let openFiles = ["/bin/sh", "-c", "ulimit -Sn 1024 && exec \"$0\" \"$@\""]
        let master = try ChildProcess("testjobs", [
            "master", "--job", "paced", "--secret-file", secretFile, "--reducers", "3", "--log-level", "info",
            "--param", "gate=\(gate)", "--param", "gated=c.txt", "--output", "\(directory.path)/out", "\(directory.path)/input",
        ], wrapper: openFiles)
        let masterPort = Int(try await master.waitForStandardError(matching: "listening on 127\\.0\\.0\\.1:(\\d+)"))!
        // More connections than the handshake has room for, held open on each port:
        // each the server closes is replaced at once, and a new one comes every 10 ms.
        let ((finished, workers), opened) = try await ConnectionFlood.during(ports: [masterPort], held: 300) { flood in
            try await eventually("the master's port flooded", timeout: 30) { flood.opened >= 300 }
            let workers = try (0..<2).map { _ in
                try ChildProcess("testjobs", ["worker", "--master", "127.0.0.1:\(masterPort)", "--secret-file", secretFile], wrapper: openFiles)
            }
            _ = try await master.waitForStandardError(matching: "(worker registered(.|\\n)*){2}")
            let log = master.standardErrorSoFar as NSString
            let shufflePorts = try NSRegularExpression(pattern: "shuffle=127\\.0\\.0\\.1:(\\d+)")
                .matches(in: log as String, range: NSRange(location: 0, length: log.length))
                .compactMap { Int(log.substring(with: $0.range(at: 1))) }
            try #require(shufflePorts.count == 2)
            let before = flood.opened
            for port in shufflePorts { flood.add(port) }
            // The gated map waits until the workers' ports are flooded too; the reducers fetch from them under it.
            try await eventually("the workers' ports flooded", timeout: 30) { flood.opened >= before + 600 }
            #expect(FileManager.default.createFile(atPath: gate, contents: nil))
            return (try await master.wait(timeout: 90), workers)
        }
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(finished.standardError.contains("the handshake is full; the oldest waiting connections are evicted"), "the flood filled the handshake")
        #expect(opened > 1_000, "only \(opened) connections were made")
        for worker in workers { #expect(try await worker.wait(timeout: 30).status == 0) }
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        #expect(lines.map(String.init).sorted() == ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted())
    }
}
}
