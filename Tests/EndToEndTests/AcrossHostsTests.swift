import Foundation
import Testing
import TestSupport

/// A master and two workers on three hosts: Linux network namespaces joined by veth links.
@Suite(.serialized, .timeLimit(.minutes(3)), .enabled(if: NetworkNamespaces.unavailableReason == nil, "\(NetworkNamespaces.unavailableReason ?? "")"))
struct AcrossHostsTests {
    @Test func aMasterAndTwoWorkersOnSeparateHostsGetTheSameAnswer() throws {
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
        let port = try master.waitForStandardError(matching: "master listening on [0-9.]+:(\\d+)")
        let workers = try (1...2).map { host in
            try ChildProcess(
                "wordcount",
                [
                    "worker", "--master", "\(network.addresses[0]):\(port)", "--listen", "\(network.addresses[host]):0",
                    "--secret-file", secret,
                ], wrapper: network.wrapper(host))
        }
        let finished = try master.wait(timeout: 90)
        #expect(finished.status == 0, "\(finished.standardError)")
        for worker in workers { #expect(try worker.wait(timeout: 30).status == 0) }
        for host in 1...2 {
            #expect(finished.standardError.contains("shuffle=\(network.addresses[host]):"), "a worker registered from host \(host)")
        }
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n") }
        #expect(lines.map(String.init).sorted() == ReferenceWords.count(texts).map { "\($0.key)\t\($0.value)" }.sorted())
    }
}
