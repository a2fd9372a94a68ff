import MapReduce

/// The reverse web-link graph: for each page, the pages that link to it.
///
/// Input lines are `source<TAB>target target ...`. Output lines are
/// `target<TAB>source source ...`, the sources sorted by their bytes, each
/// once. A line without a tab is counted in `malformed lines` and skipped.
struct ReverseLinks: Job {
    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<String, String>) {
            let fields = line.string.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[0].isEmpty else {
                context.counters.increment("malformed lines")
                return
            }
            let source = String(fields[0])
            for target in fields[1].split(separator: " ") {
                context.emit(String(target), source)
            }
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<String>, context: inout ReduceContext) {
            let sources = Set(values).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            context.write(key, sources.joined(separator: " "))
        }
    }
}
