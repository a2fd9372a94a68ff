import CMapReduceZlib

/// The CRC-32 (IEEE 802.3, as zlib and gzip compute it) of a run of bytes.
public struct CRC32: Hashable, Sendable {
    /// The checksum of everything given so far.
    public private(set) var value: UInt32 = 0

    /// Starts the checksum of no bytes.
    public init() {}

    /// Adds `bytes` to the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        self.value = UInt32(
            crc32_z(uLong(self.value), base.assumingMemoryBound(to: Bytef.self), z_size_t(bytes.count)))
    }

    /// The checksum of two runs of bytes one after the other, from the checksum
    /// of each and the second's length.
    public static func combine(_ first: UInt32, _ second: UInt32, secondLength: Int64) -> UInt32 {
        UInt32(crc32_combine(uLong(first), uLong(second), .init(secondLength)))
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
