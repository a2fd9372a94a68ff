/// A stable least-significant-digit radix sort on byte digits.
///
/// One pass counts every digit at once; a digit that is the same in every
/// element is skipped, so keys that vary in few bytes (a few partitions,
/// short keys) take few passes. Each remaining pass moves the elements
/// between `elements` and `scratch`; the result ends up in `elements`.
enum RadixSort {
    /// Sorts `elements` by the key whose byte `d` (0 the least significant,
    /// `digits - 1` the most) is `digit(element, d)`; equal keys keep their order.
    /// `scratch` must hold at least as many elements.
    @inlinable static func sort<Element: BitwiseCopyable>(
        _ elements: UnsafeMutableBufferPointer<Element>, scratch: UnsafeMutableBufferPointer<Element>, digits: Int,
        digit: (Element, Int) -> UInt8
    ) {
        let count = elements.count
        precondition(scratch.count >= count, "radix sort scratch of \(scratch.count) for \(count) elements")
        guard count > 1, digits > 0 else { return }
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: digits * 256)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0)
        for element in elements {
            for d in 0..<digits { counts[d &* 256 &+ Int(digit(element, d))] &+= 1 }
        }
        var source = elements.baseAddress!
        var target = scratch.baseAddress!
        for d in 0..<digits {
            let histogram = UnsafeMutableBufferPointer(rebasing: counts[(d * 256)..<(d * 256 + 256)])
            if histogram.contains(count) { continue }
            var start = 0
            for bucket in 0..<256 {
                let size = histogram[bucket]
                histogram[bucket] = start
                start += size
            }
            for i in 0..<count {
                let element = source[i]
                let bucket = Int(digit(element, d))
                (target + histogram[bucket]).initialize(to: element)
                histogram[bucket] += 1
            }
            swap(&source, &target)
        }
        if source != elements.baseAddress! {
            elements.baseAddress!.update(from: source, count: count)
        }
    }
}
