/// A set of task numbers as a bitset, iterated in ascending order. Insert,
/// remove and membership take O(1); finding the lowest member skips empty
/// words from a hint that only moves back on insert, so taking members
/// lowest first costs O(1) amortised (O(n/64) at worst). It grows to hold
/// any number inserted.
package struct TaskSet: Sendable, Sequence {
    private var words: [UInt64]
    package private(set) var count = 0
    /// No member lies in a word before this one.
    private var lowestWord = 0

    /// An empty set, with room for task numbers below `capacity`.
    package init(capacity: Int) {
        self.words = Array(repeating: 0, count: (capacity + 63) / 64)
    }

    /// The set of all task numbers below `capacity`.
    init(all capacity: Int) {
        self.init(capacity: capacity)
        for index in 0..<capacity { self.insert(index) }
    }

    package var isEmpty: Bool { self.count == 0 }

    package func contains(_ member: Int) -> Bool {
        guard member >= 0, member / 64 < self.words.count else { return false }
        return self.words[member / 64] & (1 << UInt64(member % 64)) != 0
    }

    /// Adds `member`; true if it was not there.
    @discardableResult
    package mutating func insert(_ member: Int) -> Bool {
        guard !self.contains(member) else { return false }
        if member / 64 >= self.words.count { self.words += Array(repeating: 0, count: member / 64 + 1 - self.words.count) }
        self.words[member / 64] |= 1 << UInt64(member % 64)
        self.count += 1
        self.lowestWord = Swift.min(self.lowestWord, member / 64)
        return true
    }

    mutating func insert(contentsOf range: ClosedRange<Int>) {
        for member in range { self.insert(member) }
    }

    /// Takes `member` out; true if it was there.
    @discardableResult
    mutating func remove(_ member: Int) -> Bool {
        guard self.contains(member) else { return false }
        self.words[member / 64] &= ~(1 << UInt64(member % 64))
        self.count -= 1
        return true
    }

    /// The lowest member.
    var first: Int? {
        mutating get {
            guard !self.isEmpty else { return nil }
            while self.words[self.lowestWord] == 0 { self.lowestWord += 1 }
            return self.lowestWord * 64 + self.words[self.lowestWord].trailingZeroBitCount
        }
    }

    package func makeIterator() -> Iterator {
        Iterator(words: self.words, word: self.lowestWord, bits: self.words.isEmpty ? 0 : self.words[self.lowestWord])
    }

    /// The members in ascending order.
    package struct Iterator: IteratorProtocol {
        let words: [UInt64]
        var word: Int
        var bits: UInt64

        package mutating func next() -> Int? {
            while self.bits == 0 {
                self.word += 1
                guard self.word < self.words.count else { return nil }
                self.bits = self.words[self.word]
            }
            let bit = self.bits.trailingZeroBitCount
            self.bits &= self.bits - 1
            return self.word * 64 + bit
        }
    }
}
