/// Raw deflate in stored mode (RFC 1951 blocks of type 00): the bytes as
/// they are, in blocks of at most 65,535 behind a 5-byte header. Any
/// inflater reads it, so a spill block that does not compress keeps the
/// format and costs a copy to read instead of a failed compression.
enum StoredDeflate {
    /// The largest block that stored mode holds.
    static let maxBlock = 65_535

    /// The length of `count` bytes in stored mode.
    static func length(of count: Int) -> Int {
        count + 5 * max(1, (count + Self.maxBlock - 1) / Self.maxBlock)
    }

    /// Appends `input` to `output` as one raw deflate stream of stored blocks.
    static func append(_ input: UnsafeRawBufferPointer, to output: inout ByteWriter) {
        output.reserve(Self.length(of: input.count))
        var start = 0
        repeat {
            let length = min(Self.maxBlock, input.count - start)
            let isFinal = start + length == input.count
            output.append(isFinal ? 1 : 0)
            output.append(UInt8(truncatingIfNeeded: length))
            output.append(UInt8(truncatingIfNeeded: length >> 8))
            output.append(UInt8(truncatingIfNeeded: ~length))
            output.append(UInt8(truncatingIfNeeded: ~length >> 8))
            output.append(UnsafeRawBufferPointer(rebasing: input[start..<(start + length)]))
            start += length
        } while start < input.count
    }
}
