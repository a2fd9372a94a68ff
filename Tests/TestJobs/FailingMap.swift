import MapReduce

/// A word count, with no combiner, whose mapper throws on the first line
/// that holds the word given as `--param fail-on=WORD`: for testing how
/// failures are reported. `--param map-ms=N` makes each map task sleep first.
struct FailingMap: Job {
    static let name = "failing-map"
    static var parameters: [JobParameter] {
        [JobParameter("fail-on", help: "the word that makes the mapper throw"), JobParameter("map-ms", default: "0")]
    }

    struct PoisonedRecord: Error, CustomStringConvertible {
        var line: String
        var description: String { "poisoned record: \(self.line)" }
    }

    struct Map: Mapper {
        var poison = ""

        mutating func setUp(context: inout MapContext<String, Int>) throws {
            self.poison = context.parameters["fail-on"] ?? ""
            Paced.sleep(milliseconds: try context.parameters.int("map-ms") ?? 0)
        }

        mutating func map(_ line: Line, context: inout MapContext<String, Int>) throws {
            var words = line.words
            while let word = words.next() {
                if word.string == self.poison { throw PoisonedRecord(line: line.string) }
                context.emit(word, 1)
            }
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
            context.write(key, values.reduce(0, +))
        }
    }
}
