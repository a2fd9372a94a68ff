/// Workers by free slots, for taking the freest one (the lowest id among
/// equals) in O(log n) amortised. A max-heap of (free slots, worker)
/// entries noted whenever a worker's free slots change; an entry that no
/// longer matches its worker (or whose worker is gone or excluded) is
/// dropped when it comes to the top.
struct FreeSlotIndex: Sendable {
    struct Entry: Sendable, Comparable {
        var free: Int
        var worker: WorkerID

        /// Heap order: more free slots first, then the lower id.
        static func < (a: Entry, b: Entry) -> Bool {
            a.free != b.free ? a.free < b.free : a.worker > b.worker
        }
    }

    private var heap: [Entry] = []

    /// Notes that `worker` now has `free` free slots (and may get tasks).
    mutating func note(_ worker: WorkerID, free: Int) {
        guard free > 0 else { return }
        self.push(Entry(free: free, worker: worker))
    }

    /// The freest worker for which `current` gives the same free slots as its entry
    /// (nil: it may get no tasks), skipping those in `excluded`; nil if there is none.
    mutating func freest(excluding excluded: Set<WorkerID> = [], current: (WorkerID) -> Int?) -> WorkerID? {
        var skipped: [Entry] = []
        defer { for entry in skipped { self.push(entry) } }
        while let top = self.heap.first {
            guard current(top.worker) == top.free else {
                self.pop()
                continue
            }
            guard excluded.contains(top.worker) else { return top.worker }
            skipped.append(self.pop())
        }
        return nil
    }

    /// Starts again from the workers there are, dropping stale entries.
    mutating func rebuild(_ workers: [(WorkerID, Int)]) {
        self.heap = []
        for (worker, free) in workers { self.note(worker, free: free) }
    }

    /// Entries held, stale ones included.
    var count: Int { self.heap.count }

    private mutating func push(_ entry: Entry) {
        self.heap.append(entry)
        var child = self.heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.heap[parent] < self.heap[child] else { break }
            self.heap.swapAt(parent, child)
            child = parent
        }
    }

    @discardableResult
    private mutating func pop() -> Entry {
        let top = self.heap[0]
        let last = self.heap.removeLast()
        guard !self.heap.isEmpty else { return top }
        self.heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var largest = parent
            if left < self.heap.count, self.heap[largest] < self.heap[left] { largest = left }
            if right < self.heap.count, self.heap[largest] < self.heap[right] { largest = right }
            guard largest != parent else { return top }
            self.heap.swapAt(parent, largest)
            parent = largest
        }
    }
}
