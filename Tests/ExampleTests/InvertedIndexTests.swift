import MapReduce
import MapReduceTesting
import Testing

@testable import invertedindex

@Suite struct InvertedIndexTests {
    @Test func theMapperEmitsEachWordOfADocumentOnce() throws {
        let run = try MapDriver(InvertedIndex.self).run(Array("the cat and the hat\nthe end".utf8), name: "doc.txt")
        #expect(run.emitted.map(\.key) == ["the", "cat", "and", "hat", "end"])
        #expect(run.emitted.allSatisfy { $0.value.description.hasSuffix("/doc.txt") })
    }

    @Test func theReducerListsDistinctDocumentsSorted() throws {
        let output = try ReduceDriver(InvertedIndex.self).run([("cat", ["b", "a", "b"]), ("dog", ["c"])])
        #expect(output.lines == ["cat\t2\ta,b", "dog\t1\tc"])
    }

    @Test func theJobIndexesEveryWordOfEveryDocument() async throws {
        let documents = [
            "one.txt": "apple banana cherry", "two.txt": "banana, cherry; date!", "three/deep.txt": "cherry apple apple", "four.txt": "",
        ]
        let output = try await TestJob(InvertedIndex.self, reducers: 2).run(files: documents.mapValues { Array($0.utf8) })
        let directory = try #require(output.inputDirectory)
        var expected: [String: Set<String>] = [:]
        for (name, text) in documents {
            for word in text.split(whereSeparator: { !$0.isLetter }) { expected[String(word), default: []].insert("\(directory)/\(name)") }
        }
        let lines = expected.map { word, paths in
            let sorted = paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            return "\(word)\t\(sorted.count)\t\(sorted.joined(separator: ","))"
        }
        #expect(output.lines.sorted() == lines.sorted())
    }
}
