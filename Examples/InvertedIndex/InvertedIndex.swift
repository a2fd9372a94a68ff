import MapReduce

/// An inverted index: for each word, the documents that contain it.
///
/// Each input file is one document, read whole; words follow the word count
/// rule (runs of Unicode letters, case kept). Output lines are
/// `word<TAB>number of documents<TAB>doc1,doc2,...`, the documents being the
/// paths as given, byte for byte (a name need not be UTF-8), sorted by their bytes.
struct InvertedIndex: Job {
    struct Map: Mapper {
        typealias Input = WholeFileInput

        mutating func map(_ file: WholeFile, context: inout MapContext<String, Bytes>) {
            var seen: Set<String> = []
            let path = file.pathBytes
            file.words.forEach { word in
                if seen.insert(word.string).inserted { context.emit(word, path) }
            }
        }
    }

    struct Reduce: Reducer {
        mutating func reduce(key: String, values: ReduceValues<Bytes>, context: inout ReduceContext) {
            let documents = Set(values).sorted()
            context.write(key, KeyPair(documents.count, documents.joined(separator: UInt8(ascii: ","))))
        }
    }
}
