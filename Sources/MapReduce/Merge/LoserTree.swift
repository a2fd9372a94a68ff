/// A tournament tree of losers over `count` sources, for k-way merging:
/// after the winning source moves to its next element, `replay` finds the
/// new winner with one comparison per level of the tree (a binary heap
/// takes two).
///
/// The tree holds source numbers only; the caller's `precedes(a, b)` says
/// whether source `a`'s current element goes before source `b`'s. A source
/// with no element left must never precede one that has one, and ties must
/// be broken (by source number, for a stable merge).
struct LoserTree {
    /// `nodes[0]`: the winner; `nodes[1..<count]`: the loser of the match at each inner node.
    /// Source `i` is the leaf at node `count + i`.
    private var nodes: [Int]

    /// Plays the first tournament of sources `0..<count`.
    init(count: Int, precedes: (Int, Int) -> Bool) {
        precondition(count > 0, "a loser tree needs at least one source")
        self.nodes = Array(repeating: 0, count: count)
        self.nodes[0] = self.play(1, precedes: precedes)
    }

    /// The source whose element goes first.
    var winner: Int { self.nodes[0] }

    /// The winner of the subtree at `node`, recording the losers below it.
    private mutating func play(_ node: Int, precedes: (Int, Int) -> Bool) -> Int {
        let count = self.nodes.count
        if node >= count { return node - count }
        let left = self.play(2 * node, precedes: precedes)
        let right = self.play(2 * node + 1, precedes: precedes)
        if precedes(right, left) {
            self.nodes[node] = left
            return right
        }
        self.nodes[node] = right
        return left
    }

    /// Finds the new winner once the winner's source has moved on.
    mutating func replay(precedes: (Int, Int) -> Bool) {
        self.nodes.withUnsafeMutableBufferPointer { nodes in
            var winner = nodes[0]
            var node = (winner + nodes.count) / 2
            while node > 0 {
                let loser = nodes[node]
                if precedes(loser, winner) {
                    nodes[node] = winner
                    winner = loser
                }
                node /= 2
            }
            nodes[0] = winner
        }
    }
}
