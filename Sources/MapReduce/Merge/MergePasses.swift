/// Bounded merges: how many sorted inputs are brought down to at most
/// `factor` by merging runs of neighbouring inputs into intermediate files,
/// in passes (Hadoop's `io.sort.factor`), so that no merge reads more than
/// `factor` inputs at once.
///
/// Runs are of neighbours, so equal keys keep the order of the inputs; each
/// pass merges only as many inputs as it takes to leave at most `factor`,
/// so that the rest go straight to the final merge.
enum MergePasses {
    /// The runs of inputs one pass merges, each into one new input, out of
    /// `count`; the inputs outside the runs pass through.
    static func runs(count: Int, factor: Int) -> [Range<Int>] {
        precondition(factor >= 2, "a merge factor below 2 never finishes")
        var excess = count - factor
        var runs: [Range<Int>] = []
        var start = 0
        while excess > 0 {
            let size = min(factor, excess + 1, count - start)
            guard size >= 2 else { break }
            runs.append(start..<start + size)
            excess -= size - 1
            start += size
        }
        return runs
    }

    /// Merges `inputs` down to at most `factor`; `merge` writes one run of
    /// inputs into one new input.
    static func reduce<Input>(_ inputs: [Input], factor: Int, merge: ([Input]) throws -> Input) throws -> [Input] {
        var inputs = inputs
        while inputs.count > factor {
            var next: [Input] = []
            var passed = 0
            for run in self.runs(count: inputs.count, factor: factor) {
                next += inputs[passed..<run.lowerBound]
                next.append(try merge(Array(inputs[run])))
                passed = run.upperBound
            }
            next += inputs[passed...]
            inputs = next
        }
        return inputs
    }
}
