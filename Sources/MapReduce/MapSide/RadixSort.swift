/// A stable most-significant-digit-first radix sort on byte digits.
///
/// Each pass counts one digit of a bucket and moves its elements to
/// `scratch` and back in that digit's order; then each of the new buckets
/// is sorted by the next digit. A digit that is the same in a whole bucket
/// costs only its count, and a bucket of a few elements is sorted by
/// insertion, so keys that differ early (words, after a byte or two) are
/// not passed over again for the digits that no longer matter.
enum RadixSort {
    /// Buckets of at most this many elements are sorted by insertion.
    @usableFromInline static let insertionLimit = 24

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
        // Per digit, a bucket's counts and where each bucket's next element goes.
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: digits * 512)
        defer { counts.deallocate() }
        self.sort(elements.baseAddress!, scratch.baseAddress!, count: count, from: digits - 1, counts: counts, digit: digit)
    }

    /// Sorts `count` elements by digits `from` down to 0.
    @inlinable static func sort<Element: BitwiseCopyable>(
        _ elements: UnsafeMutablePointer<Element>, _ scratch: UnsafeMutablePointer<Element>, count: Int, from first: Int,
        counts: UnsafeMutablePointer<Int>, digit: (Element, Int) -> UInt8
    ) {
        var d = first
        while count > Self.insertionLimit {
            let sizes = counts + d &* 512
            let next = sizes + 256
            sizes.initialize(repeating: 0, count: 256)
            for i in 0..<count { sizes[Int(digit(elements[i], d))] &+= 1 }
            if sizes[Int(digit(elements[0], d))] == count {
                // One bucket holds them all: this digit orders nothing.
                guard d > 0 else { return }
                d -= 1
                continue
            }
            var start = 0
            for bucket in 0..<256 {
                next[bucket] = start
                start &+= sizes[bucket]
            }
            for i in 0..<count {
                let element = elements[i]
                let bucket = Int(digit(element, d))
                (scratch + next[bucket]).initialize(to: element)
                next[bucket] &+= 1
            }
            elements.update(from: scratch, count: count)
            guard d > 0 else { return }
            start = 0
            for bucket in 0..<256 {
                let size = sizes[bucket]
                if size > 1 { self.sort(elements + start, scratch + start, count: size, from: d - 1, counts: counts, digit: digit) }
                start &+= size
            }
            return
        }
        self.insertionSort(elements, count: count, from: d, digit: digit)
    }

    /// Sorts a few elements by digits `from` down to 0, moving each past only those strictly greater.
    @inlinable static func insertionSort<Element: BitwiseCopyable>(
        _ elements: UnsafeMutablePointer<Element>, count: Int, from first: Int, digit: (Element, Int) -> UInt8
    ) {
        guard count > 1 else { return }
        for i in 1..<count {
            let element = elements[i]
            var j = i
            while j > 0, self.precedes(element, elements[j &- 1], from: first, digit: digit) {
                elements[j] = elements[j &- 1]
                j &-= 1
            }
            elements[j] = element
        }
    }

    /// Whether `a`'s digits `from` down to 0 come before `b`'s.
    @inlinable @inline(__always) static func precedes<Element>(
        _ a: Element, _ b: Element, from first: Int, digit: (Element, Int) -> UInt8
    ) -> Bool {
        var d = first
        while d >= 0 {
            let x = digit(a, d)
            let y = digit(b, d)
            if x != y { return x < y }
            d &-= 1
        }
        return false
    }
}
