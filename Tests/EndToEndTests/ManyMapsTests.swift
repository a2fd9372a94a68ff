import Foundation
import Testing
import TestSupport

/// Many more map outputs into one reducer than the descriptor limit allows
/// open files: merges read at most `--merge-factor` inputs at once.
/// scripts/bench-merge runs the full size (4,096 maps under `ulimit -n 256`).
extension EndToEnd {
@Suite(.timeLimit(.minutes(5)))
struct ManyMapsTests {
    /// A quarter of the full run: 1,024 maps, with a quarter of its limit and
    /// of the default merge factor. A 1 MiB sort buffer is also the cluster
    /// reducer's budget for fetched segments: most go to files.
    @Test(arguments: [["--workers", "2"], ["--in-process", "--workers", "2"]])
    func aThousandMapsIntoOneReducerUnderALowDescriptorLimit(mode: [String]) async throws {
        let directory = try TemporaryDirectory()
        var random = RandomText(seed: 77)
        let text = Array(random.make(size: 1024 * 4096).prefix(1024 * 4096))
        let input = try directory.write("input.txt", text)
        let output = "\(directory.path)/out"
        let arguments = ["run"] + mode + ["--reducers", "1", "--split-size", "4K", "--sort-buffer-mb", "1", "--merge-factor", "16", "--output", output, input]
        let limit = ["/bin/bash", "-c", "ulimit -n 64 && exec \"$0\" \"$@\""]
        let result = try await ChildProcess("wordcount", arguments, wrapper: limit).wait(timeout: 240)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains(", 1024 maps, 1 reduces"), "\(result.standardError)")
        let lines = try directory.partFiles("out").flatMap { String(decoding: $0.contents, as: UTF8.self).split(separator: "\n").map(String.init) }
        #expect(lines.sorted() == ReferenceWords.count([text]).map { "\($0.key)\t\($0.value)" }.sorted())
    }
}
}
