/// Bounded merges: how many sorted runs are brought down to at most `factor`
/// by merging neighbouring inputs into intermediate files, in passes
/// (Hadoop's `io.sort.factor`), so that no merge reads more than `factor`
/// runs at once. An input may hold several runs (a map output of unmerged
/// spills); its weight is how many.
///
/// Inputs merged are neighbours, so equal keys keep the order of the inputs;
/// each pass merges only as many runs as it takes to leave at most `factor`,
/// so that the rest go straight to the final merge.
enum MergePasses {
    /// The ranges of inputs one pass merges, each into one new input of a
    /// single run, out of inputs of `weights` runs; the inputs outside the
    /// ranges pass through. An input heavier than `factor` is merged alone.
    static func runs(weights: [Int], factor: Int) -> [Range<Int>] {
        precondition(factor >= 2, "a merge factor below 2 never finishes")
        var excess = weights.reduce(0, +) - factor
        var ranges: [Range<Int>] = []
        var start = 0
        while excess > 0 && start < weights.count {
            var end = start
            var weight = 0
            while end < weights.count, end == start || weight + weights[end] <= factor, weight - 1 < excess {
                weight += weights[end]
                end += 1
            }
            if weight >= 2 {
                ranges.append(start..<end)
                excess -= weight - 1
            }
            start = end
        }
        return ranges
    }

    /// Merges `inputs` down to at most `factor` runs; `weight` is an input's
    /// runs, and `merge` writes a range of inputs into one new input of one run.
    static func reduce<Input>(
        _ inputs: [Input], factor: Int, weight: (Input) -> Int = { _ in 1 }, merge: ([Input]) throws -> Input
    ) throws -> [Input] {
        var inputs = inputs
        while inputs.map(weight).reduce(0, +) > factor {
            var next: [Input] = []
            var passed = 0
            for range in self.runs(weights: inputs.map(weight), factor: factor) {
                next += inputs[passed..<range.lowerBound]
                next.append(try merge(Array(inputs[range])))
                passed = range.upperBound
            }
            next += inputs[passed...]
            inputs = next
        }
        return inputs
    }
}
