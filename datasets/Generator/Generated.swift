import ArgumentParser
import MapReduce
import MapReduceCLI

/// The options every generator takes: how much, which seed, and where to.
struct GeneratorOptions: ParsableArguments {
    @Option(help: "How much to write: bytes, or with a K, M or G suffix.")
    var size = ByteCount(1 << 20)

    @Option(help: "The seed; the same seed and size give the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "The file to write (standard output if not given).")
    var output: String?

    /// Writes the lines `next` makes until `size` is reached (cutting at the
    /// last whole line that fits) or until `next` returns no bytes.
    func writeLines(_ next: (inout SplitMix64) -> [UInt8]) throws {
        try writeGeneratedLines(seed: self.seed, size: self.size.bytes, to: self.output, next)
    }
}

/// Writes the lines `next` makes, from a generator seeded with `seed`, to the
/// file at `path` (standard output if nil), until `size` bytes or an empty line.
func writeGeneratedLines(seed: UInt64, size: Int64, to path: String?, _ next: (inout SplitMix64) -> [UInt8]) throws {
    var random = SplitMix64(seed: seed)
    let sink = try Sink(path: path)
    var written: Int64 = 0
    var chunk: [UInt8] = []
    chunk.reserveCapacity(1 << 20)
    while written < size {
        let line = next(&random)
        guard !line.isEmpty, written + Int64(line.count) <= size else { break }
        chunk += line
        written += Int64(line.count)
        if chunk.count >= 1 << 20 {
            try sink.write(chunk)
            chunk.removeAll(keepingCapacity: true)
        }
    }
    try sink.write(chunk)
}

/// A Zipf-distributed pick among `count` ranks (exponent 1): rank 0 is the most likely.
struct ZipfSampler {
    private let cumulative: [Double]

    init(count: Int) {
        var total = 0.0
        var cumulative: [Double] = []
        cumulative.reserveCapacity(count)
        for rank in 1...count {
            total += 1 / Double(rank)
            cumulative.append(total)
        }
        self.cumulative = cumulative.map { $0 / total }
    }

    func sample(_ random: inout SplitMix64) -> Int {
        let u = random.unit()
        var low = 0
        var high = self.cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if self.cumulative[middle] < u { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
