import MapReduce

/// Word count, as the example has it, written again here so that these tests stand alone.
struct TestWordCount: Job {
    static var combiner: Combiner<Int>? { .sum }

    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<String, Int>) {
            line.words.forEach { context.emit($0, 1) }
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
            context.write(key, values.reduce(0, +))
        }
    }
}

/// Groups numbers by their remainder modulo 97 with no combiner: every record goes through sort, spill and merge.
struct Remainders: Job {
    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<Int, Int>) {
            guard let number = Int(line.string) else { return }
            context.emit(number % 97, number)
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: Int, values: ReduceValues<Int>, context: inout ReduceContext) {
            let (count, sum) = countAndSum(values)
            context.write(key, "\(count) \(sum)")
        }
    }
}

/// Sorts lines by the number they hold, as Doubles in IEEE total order, into one partition.
struct SortByNumber: Job {
    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<KeyPair<Double, String>, Int>) {
            guard let number = Double(line.string) else {
                context.counters.increment("not a number")
                return
            }
            context.emit(KeyPair(number, line.string), 1)
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: KeyPair<Double, String>, values: ReduceValues<Int>, context: inout ReduceContext) {
            for _ in values { context.write(key.second, key.first) }
        }
    }
}

/// The size of each whole input file, keyed by path.
struct FileSizes: Job {
    struct Map: Mapper {
        typealias Input = WholeFileInput

        mutating func map(_ file: WholeFile, context: inout MapContext<String, Int>) {
            context.emit(file.path, file.contents.count)
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
            context.write(key, values.reduce(0, +))
        }
    }
}

/// Counts lines with a parameter and a user counter; partitions by the key's first letter.
struct TaggedLines: Job {
    static var parameters: [JobParameter] { [JobParameter("tag", default: "+", help: "appended to every line")] }
    static var partitioner: Partitioner<String> {
        .custom { key, partitions in Int(key.utf8.first ?? 0) % partitions }
    }

    struct Map: Mapper {
        var tag = ""

        mutating func setUp(context: inout MapContext<String, Int>) {
            self.tag = context.parameters["tag"] ?? ""
        }

        mutating func map(_ line: Line, context: inout MapContext<String, Int>) {
            context.counters.increment("lines seen")
            context.emit(line.string + self.tag, 1)
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
            context.counters.increment("keys written")
            context.write(key, values.reduce(0, +))
        }
    }
}

/// Emits `per-line` values for the single key "k" on every line.
struct OneHotKey: Job {
    static var parameters: [JobParameter] { [JobParameter("per-line", default: "1000")] }

    struct Map: Mapper {
        var perLine = 0

        mutating func setUp(context: inout MapContext<String, Int>) throws {
            self.perLine = try context.parameters.int("per-line") ?? 0
        }

        mutating func map(_ line: Line, context: inout MapContext<String, Int>) {
            for i in 0..<self.perLine { context.emit("k", i) }
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) {
            let (count, sum) = countAndSum(values)
            var again = 0
            for _ in values { again += 1 }
            context.write(key, "\(count) \(sum) \(again)")
        }
    }
}

/// A reducer that throws on the key "poison".
struct PoisonedReduce: Job {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "the reducer met poison" }
    }

    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<String, Int>) {
            context.emit(line.string, 1)
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<Int>, context: inout ReduceContext) throws {
            if key == "poison" { throw Failure() }
            context.write(key, values.reduce(0, +))
        }
    }
}

/// Every line keyed by its file and byte offset; the reducer prefixes the `prefix` parameter.
struct LineOffsets: Job {
    static var parameters: [JobParameter] { [JobParameter("prefix", default: "")] }

    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<KeyPair<String, Int64>, String>) {
            context.emit(KeyPair(context.inputPath, line.offset), line.string)
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: KeyPair<String, Int64>, values: ReduceValues<String>, context: inout ReduceContext) {
            for value in values { context.write(key, (context.parameters["prefix"] ?? "") + value) }
        }
    }
}

/// How many values there are, and their sum, in one pass.
func countAndSum(_ values: ReduceValues<Int>) -> (count: Int, sum: Int) {
    values.reduce(into: (0, 0)) { totals, value in totals = (totals.0 + 1, totals.1 + value) }
}
