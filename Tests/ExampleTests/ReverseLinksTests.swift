import MapReduce
import MapReduceTesting
import Testing

@testable import reverselinks

@Suite struct ReverseLinksTests {
    @Test func theMapperEmitsEveryLinkReversedAndCountsMalformedLines() throws {
        let run = try MapDriver(ReverseLinks.self).run(lines: ["a\tb c", "no tab here", "\tx", "d\t"])
        #expect(run.emitted.map { "\($0.key)<-\($0.value)" } == ["b<-a", "c<-a"])
        #expect(run.counters.user["malformed lines"] == 2)
    }

    @Test func theJobMatchesAReverseComputedHere() async throws {
        let lines = (0..<300).map { i in "p\(i % 40)\t" + (1...(i % 4 + 1)).map { "p\((i * $0 + 7) % 50)" }.joined(separator: " ") }
        var expected: [String: Set<String>] = [:]
        for line in lines {
            let fields = line.split(separator: "\t")
            for target in fields[1].split(separator: " ") { expected[String(target), default: []].insert(String(fields[0])) }
        }
        let output = try await TestJob(ReverseLinks.self, reducers: 3, splitSize: 1024).run(lines: lines)
        let reference = expected.map { "\($0.key)\t\($0.value.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: " "))" }
        #expect(output.lines.sorted() == reference.sorted())
    }
}
