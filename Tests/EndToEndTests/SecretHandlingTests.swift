import Foundation
import Testing
import TestSupport

/// Secrets at the command line: raw bytes, private files, and out of the workers' environment.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct SecretHandlingTests {
    @Test func userCodeOnAWorkerAndItsChildrenDoNotSeeTheSecret() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("input/a.txt", Array("one line\n".utf8))
        let out = "\(directory.path)/out"
        let run = try ChildProcess(
            "testjobs", ["run", "--job", "environment-probe", "--workers", "1", "--output", out, "\(directory.path)/input"],
            environment: ["MAPREDUCE_PROBE": "1"])
        let result = try await run.wait(timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        // One map task; the control shows that its child sees what it inherits.
        #expect(
            lines.map(String.init).sorted()
                == ["probe in a child\t1", "secret in ProcessInfo\t0", "secret in a child\t0", "secret in getenv\t0"])
    }

    @Test func aSecretFileOthersMayReadIsRefusedUnlessAllowed() async throws {
        let directory = try TemporaryDirectory()
        let secret = try directory.write("secret", Array("correct horse battery staple\n".utf8))
        #expect(chmod(secret, 0o644) == 0)
        let worker = ["worker", "--master", "127.0.0.1:1", "--secret-file", secret, "--connect-timeout", "0.5"]
        let refused = try await ChildProcess.run("testjobs", worker)
        #expect(refused.status != 0)
        #expect(
            refused.errorLines == [
                "testjobs: error: the secret file \(secret) can be read by others (mode 644): run `chmod 600 \(secret)`, or pass --allow-readable-secret-file"
            ])
        let allowed = try await ChildProcess.run("testjobs", worker + ["--allow-readable-secret-file"])
        #expect(allowed.status != 0)
        #expect(allowed.errorLines.count == 1)
        #expect(allowed.standardError.contains("cannot reach the master at 127.0.0.1:1"), "\(allowed.standardError)")

        let master = try await ChildProcess.run(
            "testjobs", ["master", "--secret-file", secret, "--output", "\(directory.path)/out", "\(directory.path)/missing"])
        #expect(master.status != 0)
        #expect(master.standardError.contains("can be read by others"), "\(master.standardError)")
    }

    @Test func secretsAreTheirBytesNotTheirText() async throws {
        let directory = try TemporaryDirectory()
        var random = RandomText(seed: 5)
        let text = random.make(size: 10_000)
        try directory.write("input/a.txt", text)
        // Not UTF-8, and the same text once decoded lossily: only their bytes tell them apart.
        let secret = try directory.write("secret", [UInt8](repeating: 0xff, count: 32))
        let lookalike = try directory.write("lookalike", [UInt8](repeating: 0xfe, count: 32))
        let master = try ChildProcess("testjobs", [
            "master", "--job", "paced", "--listen", "127.0.0.1:0", "--secret-file", secret, "--log-level", "info",
            "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        let port = try await master.waitForStandardError(matching: "master listening on 127\\.0\\.0\\.1:(\\d+)")
        let intruder = try await ChildProcess.run("testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", lookalike])
        #expect(intruder.status != 0)
        #expect(intruder.standardError.contains("authentication failed"), "\(intruder.standardError)")
        let worker = try ChildProcess("testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", secret])
        let finished = try await master.wait(timeout: 60)
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(try await worker.wait(timeout: 30).status == 0)
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        #expect(lines.map(String.init).sorted() == ReferenceWords.count([text]).map { "\($0.key)\t\($0.value)" }.sorted())
    }
}
}
