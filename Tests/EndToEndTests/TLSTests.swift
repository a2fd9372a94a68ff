import Foundation
import MapReduceCluster
import Testing
import TestSupport

/// `--tls-cert`, `--tls-key` and `--tls-ca` on `master` and `worker`, and `run --tls`.
extension EndToEnd {
@Suite(.timeLimit(.minutes(3)))
struct TLSTests {
    /// A new CA and a certificate it signed, as files in `directory`/`name`.
    static func certificates(_ directory: TemporaryDirectory, _ name: String) throws -> TLSFiles {
        try ThrowawayCertificates().write(in: "\(directory.path)/\(name)")
    }

    static func arguments(_ files: TLSFiles) -> [String] {
        ["--tls-cert", files.certificate, "--tls-key", files.key, "--tls-ca", files.ca]
    }

    /// Two generated input files under `input/`; returns their texts.
    static func makeInputs(_ directory: TemporaryDirectory) throws -> [[UInt8]] {
        try (0..<2).map { i in
            var random = RandomText(seed: UInt64(500 + i))
            let text = random.make(size: 20_000)
            try directory.write("input/\(i).txt", text)
            return text
        }
    }

    static func outputLines(_ directory: TemporaryDirectory, _ name: String) throws -> [String] {
        try directory.partFiles(name).flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n").map(String.init) }.sorted()
    }

    static func expectedLines(_ texts: [[UInt8]]) -> [String] {
        ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted()
    }

    @Test func masterAndWorkersWithCertificatesOfTheClusterCAGiveTheReferenceOutput() async throws {
        let directory = try TemporaryDirectory()
        let texts = try Self.makeInputs(directory)
        let tls = try Self.certificates(directory, "tls")
        let secret = try directory.write("secret", Array("correct horse battery staple".utf8))
        let master = try ChildProcess("wordcount", [
            "master", "--listen", "127.0.0.1:0", "--secret-file", secret, "--reducers", "3", "--split-size", "8K",
            "--output", "\(directory.path)/out", "\(directory.path)/input",
        ] + Self.arguments(tls))
        let port = try await master.waitForStandardError(matching: "master listening on 127\\.0\\.0\\.1:(\\d+)")
        let workers = try (0..<2).map { _ in
            try ChildProcess("wordcount", ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", secret] + Self.arguments(tls))
        }
        let finished = try await master.wait(timeout: 60)
        #expect(finished.status == 0, "\(finished.standardError)")
        for worker in workers {
            let result = try await worker.wait(timeout: 30)
            #expect(result.status == 0, "\(result.standardError)")
        }
        #expect(try Self.outputLines(directory, "out") == Self.expectedLines(texts))
    }

    @Test func runWithTLSGivesTheReferenceOutputWithAThrowawayCAOrGivenFiles() async throws {
        let directory = try TemporaryDirectory()
        let texts = try Self.makeInputs(directory)
        let given = try Self.certificates(directory, "given")
        let work = "\(directory.path)/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        for (name, flags) in [("throwaway", ["--tls"]), ("given", Self.arguments(given))] {
            let ran = try await ChildProcess.run("wordcount", [
                "run", "--workers", "2", "--reducers", "2", "--split-size", "8K", "--work-dir", work,
                "--output", "\(directory.path)/out-\(name)", "\(directory.path)/input",
            ] + flags)
            #expect(ran.status == 0, "\(name): \(ran.standardError)")
            #expect(try Self.outputLines(directory, "out-\(name)") == Self.expectedLines(texts), "\(name)")
            // The throwaway CA and its key went with the run.
            #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty, "\(name)")
        }
    }

    @Test func aWorkerWithACertificateOfAnotherCAIsRefusedAndTheJobGoesOn() async throws {
        let directory = try TemporaryDirectory()
        let texts = try Self.makeInputs(directory)
        let cluster = try Self.certificates(directory, "cluster")
        let other = try Self.certificates(directory, "other")
        let secret = try directory.write("secret", Array("correct horse battery staple".utf8))
        let master = try ChildProcess("wordcount", [
            "master", "--listen", "127.0.0.1:0", "--secret-file", secret, "--output", "\(directory.path)/out",
            "\(directory.path)/input",
        ] + Self.arguments(cluster))
        let port = try await master.waitForStandardError(matching: "master listening on 127\\.0\\.0\\.1:(\\d+)")
        let worker = ["worker", "--master", "127.0.0.1:\(port)", "--secret-file", secret]

        // It trusts the cluster's CA, but its own certificate is another CA's: the master refuses it.
        var mixed = other
        mixed.ca = cluster.ca
        let refused = try await ChildProcess.run("wordcount", worker + Self.arguments(mixed), timeout: 30)
        #expect(refused.status != 0)
        #expect(refused.errorLines.count == 1, "\(refused.standardError)")
        #expect(refused.standardError.contains("master 127.0.0.1:\(port) refused this process's certificate"), "\(refused.standardError)")
        _ = try await master.waitForStandardError(matching: "certificate verify failed: .* presented a certificate that the CA of --tls-ca did not sign")

        // It trusts only the other CA: it refuses the master.
        let refusing = try await ChildProcess.run("wordcount", worker + Self.arguments(other), timeout: 30)
        #expect(refusing.status != 0)
        #expect(refusing.errorLines.count == 1, "\(refusing.standardError)")
        #expect(
            refusing.standardError.contains("certificate verify failed: master 127.0.0.1:\(port) presented a certificate"),
            "\(refusing.standardError)")

        let member = try ChildProcess("wordcount", worker + Self.arguments(cluster))
        let finished = try await master.wait(timeout: 60)
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(try await member.wait(timeout: 30).status == 0)
        #expect(try Self.outputLines(directory, "out") == Self.expectedLines(texts))
    }

    /// What a worker's connections carry, recorded by proxies: its control
    /// connection, through a proxy it takes for the master; and its shuffle
    /// (a reducer fetches every map output through the address its worker
    /// advertises, its own included), through a proxy on 127.0.0.2 that
    /// forwards to the shuffle port on 127.0.0.1.
    static func capture(tls: TLSFiles?, in directory: TemporaryDirectory, name: String) async throws -> (control: [UInt8], shuffle: [UInt8]) {
        let secret = try directory.write("secret-\(name)", Array("correct horse battery staple".utf8))
        let master = try ChildProcess("wordcount", [
            "master", "--listen", "127.0.0.1:0", "--secret-file", secret, "--reducers", "2", "--compression-level", "0",
            "--output", "\(directory.path)/out-\(name)", "\(directory.path)/input",
        ] + (tls.map(Self.arguments) ?? []))
        let masterPort = try await master.waitForStandardError(matching: "master listening on 127\\.0\\.0\\.1:(\\d+)")
        let control = try await RecordingProxy(listeningOn: "127.0.0.1")
        let shuffle = try await RecordingProxy(listeningOn: "127.0.0.2")
        let proxying = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await control.run(forwardingTo: "127.0.0.1", port: Int(masterPort)!) }
                group.addTask { await shuffle.run(forwardingTo: "127.0.0.1", port: shuffle.port) }
            }
        }
        defer { proxying.cancel() }
        let worker = try ChildProcess("wordcount", [
            "worker", "--master", "127.0.0.1:\(control.port)", "--secret-file", secret, "--listen", "127.0.0.1:\(shuffle.port)",
            "--advertise", "127.0.0.2",
        ] + (tls.map(Self.arguments) ?? []))
        let finished = try await master.wait(timeout: 60)
        #expect(finished.status == 0, "\(name): \(finished.standardError)")
        #expect(try await worker.wait(timeout: 30).status == 0, "\(name)")
        proxying.cancel()
        await proxying.value
        return (control.bytes, shuffle.bytes)
    }

    @Test func aCaptureOfATLSJobHoldsNoPlaintextOfItsInputWhileOneWithoutTLSDoes() async throws {
        let directory = try TemporaryDirectory()
        // The control connection names the input file; the shuffle (uncompressed) carries its words.
        var random = RandomText(seed: 11)
        let text = random.make(size: 8_000) + Array("\nxylophonequasar marks the shuffle\n".utf8) + random.make(size: 8_000)
        try directory.write("input/quokkafilename.txt", text)
        let expected = Self.expectedLines([text])
        let plain = try await Self.capture(tls: nil, in: directory, name: "plain")
        #expect(try Self.outputLines(directory, "out-plain") == expected)
        #expect(plain.control.containsText("quokkafilename"))
        #expect(plain.shuffle.containsText("xylophonequasar"))

        let encrypted = try await Self.capture(tls: try Self.certificates(directory, "tls"), in: directory, name: "tls")
        #expect(try Self.outputLines(directory, "out-tls") == expected)
        for (bytes, connection) in [(encrypted.control, "control"), (encrypted.shuffle, "shuffle")] {
            #expect(bytes.count > 1_000, "\(connection): only \(bytes.count) bytes recorded")
            // A TLS record of the handshake comes first: content type 22, version 3.x.
            #expect(bytes.prefix(2).elementsEqual([0x16, 0x03]), "\(connection)")
            for marker in ["quokkafilename", "xylophonequasar"] {
                #expect(!bytes.containsText(marker), "\(connection) connection shows \(marker)")
            }
        }
    }
}
}
