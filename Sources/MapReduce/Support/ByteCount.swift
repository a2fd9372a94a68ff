/// A number of bytes as people write it: `1048576`, `64K`, `256MB`, `1G`, `2GiB`.
public struct ByteCount: Hashable, Sendable, CustomStringConvertible {
    /// The number of bytes.
    public var bytes: Int64

    /// Makes the count of `bytes`.
    public init(_ bytes: Int64) {
        self.bytes = bytes
    }

    /// Parses a count with an optional K, M or G suffix (powers of 1024), with or without `B` or `iB`.
    public init?(parsing text: String) {
        let upper = text.uppercased()
        let digits = upper.prefix { $0.isASCII && $0.isNumber }
        var unit = upper.dropFirst(digits.count)
        if unit.hasSuffix("IB") { unit = unit.dropLast(2) } else if unit.hasSuffix("B") { unit = unit.dropLast() }
        let shifts: [Substring: Int64] = ["": 0, "K": 10, "M": 20, "G": 30, "T": 40]
        guard let shift = shifts[unit], let value = Int64(digits), value <= Int64.max >> shift else { return nil }
        self.bytes = value << shift
    }

    /// The number of bytes in digits, with no suffix.
    public var description: String { String(self.bytes) }
}
