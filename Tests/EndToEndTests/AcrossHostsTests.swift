import Foundation
import Testing
import TestSupport

/// A master and two workers on three hosts: Linux network namespaces joined by veth links.
extension EndToEnd {
@Suite(.serialized, .timeLimit(.minutes(3)), .enabled(if: NetworkNamespaces.unavailableReason == nil, "\(NetworkNamespaces.unavailableReason ?? "")"))
struct AcrossHostsTests {
    @Test func aMasterAndTwoWorkersOnSeparateHostsGetTheSameAnswer() async throws {
        let network = try NetworkNamespaces(count: 3)
        let directory = try TemporaryDirectory()
        var texts: [[UInt8]] = []
        for i in 0..<3 {
            var random = RandomText(seed: UInt64(1300 + i))
            texts.append(random.make(size: 20_000))
            try directory.write("input/\(i).txt", texts[i])
        }
        let secret = try directory.write("secret", Array("a secret shared by three hosts".utf8))
        let out = "\(directory.path)/out"
        let master = try ChildProcess(
            "wordcount",
            [
                "master", "--listen", "\(network.addresses[0]):0", "--secret-file", secret, "--reducers", "3",
                "--split-size", "6K", "--log-level", "info", "--output", out, "\(directory.path)/input",
            ], wrapper: network.wrapper(0))
        let port = try await master.waitForStandardError(matching: "master listening on [0-9.]+:(\\d+)")
        let workers = try (1...2).map { host in
            try ChildProcess(
                "wordcount",
                [
                    "worker", "--master", "\(network.addresses[0]):\(port)", "--listen", "\(network.addresses[host]):0",
                    "--secret-file", secret,
                ], wrapper: network.wrapper(host))
        }
        let finished = try await master.wait(timeout: 90)
        #expect(finished.status == 0, "\(finished.standardError)")
        for worker in workers { #expect(try await worker.wait(timeout: 30).status == 0) }
        for host in 1...2 {
            #expect(finished.standardError.contains("shuffle=\(network.addresses[host]):"), "a worker registered from host \(host)")
        }
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        #expect(lines.map(String.init).sorted() == ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted())
    }

    @Test func aWorkerCutOffTheNetworkIsTreatedAsDead() async throws {
        let network = try NetworkNamespaces(count: 4)
        let directory = try TemporaryDirectory()
        var texts: [[UInt8]] = []
        for i in 0..<6 {
            var random = RandomText(seed: UInt64(1400 + i))
            texts.append(random.make(size: 5_000))
            try directory.write("input/\(i).txt", texts[i])
        }
        let secret = try directory.write("secret", Array("a secret shared by four hosts".utf8))
        let master = try ChildProcess(
            "testjobs",
            [
                "master", "--job", "paced", "--listen", "\(network.addresses[0]):0", "--secret-file", secret, "--reducers", "2",
                "--worker-timeout", "2", "--speculation", "off", "--param", "map-ms=1000", "--log-level", "info", "--split-size", "64K",
                "--output", "\(directory.path)/out", "\(directory.path)/input",
            ], wrapper: network.wrapper(0))
        let port = try await master.waitForStandardError(matching: "master listening on [0-9.]+:(\\d+)")
        let workers = try (1...3).map { host in
            try ChildProcess(
                "testjobs",
                [
                    "worker", "--master", "\(network.addresses[0]):\(port)", "--listen", "\(network.addresses[host]):0", "--secret-file", secret,
                    "--log-level", "info", "--master-grace", "2",
                ],
                wrapper: network.wrapper(host))
        }
        // Each worker's own word: one cut off before the master's answer reached it would keep trying to connect instead.
        for worker in workers { _ = try await worker.waitForStandardError(matching: "registered") }
        try network.cutOff(1)
        let finished = try await master.wait(timeout: 90)
        #expect(finished.status == 0, "\(finished.standardError)")
        #expect(finished.standardError.contains("no heartbeat for"))
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        #expect(lines.map(String.init).sorted() == ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted())
        // The cut-off worker hears nothing from its master, waits its grace for it to come back, and leaves by itself.
        let cutOff = try await workers[0].wait(timeout: 30)
        #expect(cutOff.standardError.contains("the master has been silent"), "\(cutOff.standardError)")
        for worker in workers.dropFirst() { #expect(try await worker.wait(timeout: 30).status == 0) }
    }
}
}
