import MapReduce

/// An inverted index: for each word, the documents that contain it.
///
/// Each input file is one document, read whole; words follow the word count
/// rule (runs of Unicode letters, case kept). Output lines are
/// `word<TAB>number of documents<TAB>doc1,doc2,...`, the documents being the
/// paths as given, sorted by their bytes.
struct InvertedIndex: Job {
    struct Map: Mapper {
        typealias Input = WholeFileInput

        mutating func map(_ file: WholeFile, context: inout MapContext<String, String>) {
            var seen: Set<String> = []
            file.words.forEach { word in
                if seen.insert(word.string).inserted { context.emit(word, file.path) }
            }
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<String>, context: inout ReduceContext) {
            let documents = Set(values).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            context.write(key, "\(documents.count)\t\(documents.joined(separator: ","))")
        }
    }
}
