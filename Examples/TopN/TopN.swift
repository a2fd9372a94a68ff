import MapReduce

/// The `n` lines with the highest score for each key, from tab-separated
/// lines: a secondary sort.
///
/// `--param key=K` and `--param score=S` are the numbers of the fields (from 1,
/// as `cut -f` counts) that hold the key and the score; `--param n=N` how many
/// lines to keep per key. Output lines are `key<TAB>rank<TAB>line`, ranks from
/// 1, by descending score and, for equal scores, ascending bytes of the line.
/// A line without those fields, or whose score is not a finite number, is
/// counted in `malformed lines`. Keys and lines are bytes, compared and
/// written exactly (they need not be UTF-8).
///
/// The map output key is (key, negated score, line) and the reducer groups by
/// the key alone, so it sees each key's lines best first, streamed, and stops
/// after `n`: no key's lines are ever held in memory.
struct TopN: Job {
    /// The key, then the negated score (so the best sorts first), then the line.
    typealias Key = KeyPair<Bytes, KeyPair<Double, Bytes>>

    struct Parameters: ParameterSet {
        @Parameter(help: "the field that holds the key, from 1", atLeast: 1) var key = 1
        @Parameter(help: "the field that holds the score, from 1", atLeast: 1) var score = 2
        @Parameter(help: "lines to keep per key", atLeast: 1) var n = 3
    }

    static var grouping: Grouping<Key> { .byFirst }

    struct Map: Mapper {
        var parameters = Parameters()

        mutating func setUp(context: inout MapContext<Key, Int>) throws {
            self.parameters = try Parameters(context.parameters)
        }

        mutating func map(_ line: Line, context: inout MapContext<Key, Int>) {
            let fields = line.fields()
            guard fields.count >= max(self.parameters.key, self.parameters.score),
                let score = Double(fields[self.parameters.score - 1].description), score.isFinite
            else { return context.counters.increment("malformed lines") }
            // 0 - score, not -score: a score of 0 and one of -0 are the same.
            context.emit(Key(fields[self.parameters.key - 1], KeyPair(0 - score, line.text)), 1)
        }
    }

    struct Reduce: Reducer {
        var n = 0

        mutating func setUp(context: inout ReduceContext) throws {
            self.n = try Parameters(context.parameters).n
        }

        /// One call per key, its lines best first (each copy of a line is one value).
        mutating func reduce(key: Key, values: ReduceValues<Int>, context: inout ReduceContext) throws {
            var values = values
            var rank = 0
            while rank < self.n, values.next() != nil {
                rank += 1
                context.write(key.first, KeyPair(rank, try values.currentKey(as: Key.self).second.second))
            }
        }
    }
}
