import Foundation
import MapReduce
@testable import MapReduceCluster
import NIOCore
import Testing
import TestSupport

/// Garbage, floods and misbehaving peers on the master's and a worker's ports, while a job runs.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct HostileNetworkTests {
    static func residentKilobytes(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// A frame holding `type` and `body`.
    static func frame(type: UInt8, _ body: String) -> [UInt8] {
        let payload = [type] + Array(body.utf8)
        return withUnsafeBytes(of: UInt32(payload.count).bigEndian) { Array($0) } + payload
    }

    /// Writes `input/NAME.txt` of 20 kB of random words for each name; returns their texts.
    static func writeInputs(_ directory: TemporaryDirectory, _ names: [String], seed: UInt64) throws -> [[UInt8]] {
        try names.enumerated().map { index, name in
            var random = RandomText(seed: seed + UInt64(index))
            let text = random.make(size: 20_000)
            try directory.write("input/\(name).txt", text)
            return text
        }
    }

    /// Writes the secret file; returns its path and the secret.
    static func writeSecret(_ directory: TemporaryDirectory, _ text: String) throws -> (file: String, secret: Secret) {
        (try directory.write("secret", Array(text.utf8)), try Secret(bytes: Array(text.utf8)))
    }

    /// Connects with the secret, as a legitimate peer would, and hands over the connection.
    static func authenticated(port: Int, secret: Secret, _ body: (inout Connection) async throws -> Void) async throws {
        try await Network.connect(to: Endpoint(host: "127.0.0.1", port: port)).executeThenClose { inbound, outbound in
            var connection = Connection(inbound, outbound, peer: "server")
            try await Handshake.connect(&connection, secret: secret)
            try await body(&connection)
        }
    }

    @Test func badPeersAreClosedAndTheJobFinishesRight() async throws {
        let directory = try TemporaryDirectory()
        let texts = try Self.writeInputs(directory, ["a", "b"], seed: 91)
        let (secretFile, secret) = try Self.writeSecret(directory, "a secret for a hostile network")
        let gate = "\(directory.path)/gate"
        let master = try ChildProcess("testjobs", [
            "master", "--job", "paced", "--secret-file", secretFile, "--reducers", "2", "--idle-timeout", "3", "--worker-timeout", "2",
            "--split-size", "64K",
            "--param", "gate=\(gate)", "--param", "gated=b.txt", "--log-level", "info",
            "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        let masterPort = Int(try await master.waitForStandardError(matching: "listening on 127\\.0\\.0\\.1:(\\d+)"))!
        let workers = try (0..<2).map { _ in
            try ChildProcess("testjobs", ["worker", "--master", "127.0.0.1:\(masterPort)", "--secret-file", secretFile, "--idle-timeout", "3"])
        }
        let shufflePort = Int(try await master.waitForStandardError(matching: "shuffle=127\\.0\\.0\\.1:(\\d+)"))!
        _ = try await master.waitForStandardError(matching: "(worker registered(.|\\n)*){2}")
        var random = SeededRandom(seed: 5)

        // Each kind of garbage at both ports at once; each connection must be closed, within the
        // 3 s the handshake is given at the most (and some slack).
        var attacks: [(RawClient, seconds: Double, what: String)] = []
        for port in [masterPort, shufflePort] {
            let garbage = try RawClient(port: port)
            garbage.send((0..<1000).map { _ in UInt8.random(in: 0...255, using: &random) })
            let huge = try RawClient(port: port)
            huge.send([0xFF, 0xFF, 0xFF, 0xFF])
            let early = try RawClient(port: port)
            early.send(Self.frame(type: 30, "{\"mapAttempt\":{\"kind\":\"m\",\"task\":0,\"attempt\":1,\"job\":1},\"partition\":0}"))
            let truncated = try RawClient(port: port)
            truncated.send([0, 0, 0, 100] + [UInt8](repeating: 7, count: 10))
            attacks += [
                (garbage, 12, "random bytes on port \(port)"), (huge, 2, "a 4 GiB frame header on port \(port)"),
                (early, 2, "a request before authenticating on port \(port)"),
                (truncated, 12, "a truncated frame, then silence, on port \(port)"),
            ]
        }
        let start = Date()
        for (client, seconds, what) in attacks {
            #expect(await client.closedByPeer(within: max(0.5, seconds - Date().timeIntervalSince(start))), "\(what)")
        }

        // A flood of connections that say nothing: all are closed, and memory stays bounded.
        let before = Self.residentKilobytes(master.processIdentifier)
        // Beyond 256 connections in the handshake at once, the server evicts the oldest, and
        // closes the rest after the handshake's 3 s: each is closed.
        let flood = (0..<2000).compactMap { _ in try? RawClient(port: masterPort) }
        let during = Self.residentKilobytes(master.processIdentifier)
        // AddressSanitizer (scripts/sanitize) triples what memory costs.
        let bound = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] == nil ? 200_000 : 600_000
        #expect(during - before < bound, "2000 idle connections cost \(during - before) KB")
        var open = 0
        for client in flood where await !client.closedByPeer(within: 15) { open += 1 }
        #expect(open == 0, "\(open) idle connections were left open")

        // Peers that hold the secret but misbehave.
        // An attempt id shaped like a path is not an attempt id: the request is refused whole.
        let pathLike = ByteBuffer(bytes: [30] + Array("{\"mapAttempt\":{\"kind\":\"../../etc/passwd\",\"task\":0,\"attempt\":1,\"job\":1},\"partition\":0}".utf8))
        try await Self.authenticated(port: shufflePort, secret: secret) { connection in
            try await connection.outbound.write(pathLike)
            await #expect(throws: (any Error).self) { _ = try await connection.expect() }
        }
        try await Self.authenticated(port: shufflePort, secret: secret) { connection in
            try await connection.send(.fetch(Fetch(mapAttempt: AttemptID(.map, task: 500, attempt: 1, job: 1), partition: 0)))
            guard case .error(let error) = try await connection.receive() else { Issue.record("no error answer"); return }
            #expect(error.message.contains("no output of"))
        }
        // Numbers out of range are refused whole: the connection is closed.
        try await Self.authenticated(port: shufflePort, secret: secret) { connection in
            try await connection.send(.fetch(Fetch(mapAttempt: AttemptID(.map, task: -1, attempt: 1, job: 1), partition: -5)))
            #expect((try? await connection.receive()) == nil)
        }
        let silentStart = ContinuousClock.now
        try await Self.authenticated(port: shufflePort, secret: secret) { connection in
            // Authenticated, and then never a word: closed after the idle timeout (3 s).
            _ = try? await connection.receive()
        }
        #expect(ContinuousClock.now - silentStart < .seconds(10))

        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        let finished = try await master.wait(timeout: 60)
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(finished.standardError.contains("frame of 4294967295 bytes is larger than the limit of 4096"))
        for worker in workers { #expect(try await worker.wait(timeout: 30).status == 0) }
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        #expect(lines.map(String.init).sorted() == ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted())
    }

    @Test func aMasterFloodedWithConnectionsAsItShutsDownExitsCleanly() async throws {
        let directory = try TemporaryDirectory()
        var random = RandomText(seed: 93)
        try directory.write("input/a.txt", random.make(size: 20_000))
        let secretFile = try directory.write("secret", Array("a secret for a flooded master".utf8))
        let master = try ChildProcess("testjobs", [
            "master", "--job", "paced", "--secret-file", secretFile, "--reducers", "2", "--param", "map-ms=300",
            "--output", "\(directory.path)/out", "\(directory.path)/input",
        ])
        let port = Int(try await master.waitForStandardError(matching: "listening on 127\\.0\\.0\\.1:(\\d+)"))!
        // Several hundred connections a second, the last 50 of them held open, from before
        // the job starts until the master has exited: some arrive while it shuts down.
        let flood = Task.detached { () -> Int in
            var opened = 0
            var held: [RawClient] = []
            while !Task.isCancelled {
                if let client = try? RawClient(port: port) {
                    opened += 1
                    held.append(client)
                    if held.count > 50 { held.removeFirst() }
                }
                try? await Task.sleep(for: .milliseconds(2))
            }
            return opened
        }
        let worker = try ChildProcess("testjobs", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", secretFile])
        let finished = try await master.wait(timeout: 60)
        flood.cancel()
        let opened = await flood.value
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(FileManager.default.fileExists(atPath: "\(directory.path)/out/_SUCCESS"))
        #expect(opened >= 100, "only \(opened) connections were made")
        #expect(try await worker.wait(timeout: 30).status == 0)
    }
}
}
