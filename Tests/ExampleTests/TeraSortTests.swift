import MapReduce
import MapReduceTesting
import Testing

@testable import terasort

@Suite struct TeraSortTests {
    @Test func thePartFilesInOrderAreTheRecordsSorted() async throws {
        var generator = SystemRandomNumberGenerator()
        let records = (0..<3000).map { _ in (0..<100).map { _ in UInt8.random(in: 32...126, using: &generator) } }
        let output = try await TeraSort.testRun(records)
        let sorted = records.sorted { $0[..<10].lexicographicallyPrecedes($1[..<10]) }
        #expect(output.parts.count == 4)
        #expect(output.parts.joined().elementsEqual(sorted.joined()))
        // The sampled boundaries spread the records: no part holds most of them.
        #expect(output.parts.allSatisfy { $0.count < records.count * 100 / 2 })
    }

    @Test func theMapperSplitsARecordIntoItsKeyAndTheRest() throws {
        let record = Array((0..<100).map { UInt8($0) })
        let run = try MapDriver(TeraSort.self).run(record + record.reversed(), name: "data")
        #expect(run.emitted.map(\.key.storage) == [Array(record[..<10]), Array(record.reversed()[..<10])])
        #expect(run.emitted.map(\.value.storage) == [Array(record[10...]), Array(record.reversed()[10...])])
    }
}

extension TeraSort {
    /// Equal keys keep no order between them: the test's records have none.
    static func testRun(_ records: [[UInt8]]) async throws -> JobOutput {
        try await TestJob(TeraSort.self, reducers: 4, splitSize: 100 * 400).run(files: ["data": Array(records.joined())])
    }
}
