import MapReduce

/// The reverse web-link graph: for each page, the pages that link to it.
///
/// Input lines are `source<TAB>target target ...`. Output lines are
/// `target<TAB>source source ...`, the sources sorted by their bytes, each
/// once. Page names are bytes, kept exactly (they need not be UTF-8). A
/// line without a tab, or with an empty source, is counted in `malformed
/// lines` and skipped; runs of spaces separate targets as one space does.
struct ReverseLinks: Job {
    struct Map: Mapper {
        mutating func map(_ line: Line, context: inout MapContext<Bytes, Bytes>) {
            let fields = line.fields(maxSplits: 1)
            guard fields.count == 2, !fields[0].isEmpty else {
                context.counters.increment("malformed lines")
                return
            }
            for target in fields[1].split(separator: UInt8(ascii: " "), omittingEmpty: true) {
                context.emit(target, fields[0])
            }
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: Bytes, values: ReduceValues<Bytes>, context: inout ReduceContext) {
            context.write(key, Set(values).sorted().joined(separator: UInt8(ascii: " ")))
        }
    }
}
