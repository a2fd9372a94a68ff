/// A k-way merge of sorted segments into one sorted stream of records.
///
/// Equal keys come out in the order of the segments given, so the merge is
/// deterministic.
final class RecordMerger {
    private let cursors: [SegmentCursor]
    /// Indices of cursors that have a current record, as a binary min-heap.
    // Touched for every record; one thread uses a merger, so no exclusivity checks.
    @exclusivity(unchecked) private var heap: [Int] = []
    @exclusivity(unchecked) private var started = false

    init(_ cursors: [SegmentCursor]) {
        self.cursors = cursors
    }

    /// The current record's key and value; valid until the next `advance`.
    var key: UnsafeRawBufferPointer { self.cursors[self.heap[0]].key }
    var value: UnsafeRawBufferPointer { self.cursors[self.heap[0]].value }

    /// Moves to the next record in key order; false when every segment is done.
    func advance() throws -> Bool {
        if !self.started {
            self.started = true
            for (i, cursor) in self.cursors.enumerated() where try cursor.advance() {
                self.heap.append(i)
                self.siftUp(self.heap.count - 1)
            }
            return !self.heap.isEmpty
        }
        guard !self.heap.isEmpty else { return false }
        if try !self.cursors[self.heap[0]].advance() {
            let last = self.heap.removeLast()
            guard !self.heap.isEmpty else { return false }
            self.heap[0] = last
        }
        self.siftDown(0)
        return true
    }

    private func precedes(_ a: Int, _ b: Int) -> Bool {
        let order = compareBytes(self.cursors[a].key, self.cursors[b].key)
        return order != 0 ? order < 0 : a < b
    }

    private func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.precedes(self.heap[child], self.heap[parent]) else { return }
            self.heap.swapAt(child, parent)
            child = parent
        }
    }

    private func siftDown(_ start: Int) {
        var parent = start
        while true {
            var smallest = parent
            let left = 2 * parent + 1
            if left < self.heap.count, self.precedes(self.heap[left], self.heap[smallest]) { smallest = left }
            if left + 1 < self.heap.count, self.precedes(self.heap[left + 1], self.heap[smallest]) { smallest = left + 1 }
            guard smallest != parent else { return }
            self.heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
