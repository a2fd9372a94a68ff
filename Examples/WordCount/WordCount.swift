import MapReduce

/// Counts how often each word occurs.
///
/// A word is a maximal run of Unicode letters (General Category L), case
/// kept; everything else separates words. Output lines are `word<TAB>count`,
/// words ascending by their UTF-8 bytes within each part file. The map side
/// sums counts in a hash table (the combiner) before anything is spilled.
struct WordCount: Job {
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
