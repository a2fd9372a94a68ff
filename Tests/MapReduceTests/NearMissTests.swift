import Testing
import TestSupport

@testable import MapReduce

/// Word count with its combiner declared without the `?`.
private struct CombinerWithoutOptional: Job {
    static var combiner: Combiner<Int> { .sum }
    typealias Map = TestWordCount.Map
    typealias Reduce = TestWordCount.Reduce
}

/// Words at least `min-length` long, counted; written with Hadoop's `setup` and `cleanup`.
private struct HadoopSpelling: Job {
    struct Parameters: ParameterSet {
        @Parameter(help: "the shortest word counted") var minLength = 1
    }

    struct Map: Mapper {
        var minLength = 0
        var words = 0

        mutating func setup(context: inout MapContext<String, Int>) throws {
            self.minLength = try Parameters(context.parameters).minLength
        }

        mutating func map(_ line: Line, context: inout MapContext<String, Int>) {
            line.words.forEach { word in
                guard word.bytes.count >= self.minLength else { return }
                self.words += 1
                context.emit(word, 1)
            }
        }

        mutating func cleanup(context: inout MapContext<String, Int>) {
            context.counters.increment("words kept", by: Int64(self.words))
        }
    }

    struct Reduce: Reducer {
        var keys = 0
        var label = "setup not called"

        mutating func setup(context: inout ReduceContext) {
            self.label = "(keys)"
        }

        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
            self.keys += 1
            context.write(key, values.reduce(0, +))
        }

        mutating func cleanup(context: inout ReduceContext) {
            context.write(self.label, self.keys)
        }
    }
}

@Suite struct NearMissTests {
    @Test func aCombinerDeclaredWithoutTheQuestionMarkRuns() async throws {
        #expect(AnyJob(CombinerWithoutOptional.self).combinerSummary == "sum")
        let directory = try TemporaryDirectory()
        let (inputs, texts) = try InProcessRunnerTests.wordCountInputs(directory)
        let report = try await InProcessRunnerTests.run(AnyJob(CombinerWithoutOptional.self), inputs, in: directory)
        let counted = Dictionary(try InProcessRunnerTests.outputLines(directory).flatMap { $0 }.map { ($0.0, Int($0.1)!) }, uniquingKeysWith: +)
        #expect(counted == ReferenceWords.count(texts))
        #expect(report.counters[.combineInputRecords] > report.counters[.combineOutputRecords])
    }

    @Test func hadoopsSetupAndCleanupAreCalled() async throws {
        let directory = try TemporaryDirectory()
        let text = "a bb ccc dddd bb ccc\nccc a dddd\n"
        let input = try directory.write("in/a.txt", Array(text.utf8))
        let report = try await InProcessRunnerTests.run(
            AnyJob(HadoopSpelling.self), [input], in: directory, reducers: 1, parameters: ["min-length": "3"])
        let lines = try InProcessRunnerTests.outputLines(directory).flatMap { $0 }.map { "\($0.0) \($0.1)" }
        #expect(lines == ["ccc 3", "dddd 2", "(keys) 2"])
        #expect(report.counters.user["words kept"] == 5)
    }
}
