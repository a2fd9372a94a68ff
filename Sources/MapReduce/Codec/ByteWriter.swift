/// A growable run of bytes that encoders append to; it owns its memory.
///
/// Hot paths append to it millions of times a second, so it is a
/// non-copyable struct over raw memory rather than an `[UInt8]`.
public struct ByteWriter: ~Copyable {
    @usableFromInline var base: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    @usableFromInline var length: Int

    /// The number of bytes written.
    @inlinable public var count: Int { self.length }

    /// Makes an empty writer with room for `capacity` bytes (at least 16).
    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        self.base = .allocate(byteCount: self.capacity, alignment: 16)
        self.length = 0
    }

    @inlinable deinit {
        self.base.deallocate()
    }

    /// The bytes written; valid until the next mutating call.
    @inlinable public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: self.base, count: self.count)
    }

    /// Whether nothing has been written.
    public var isEmpty: Bool { self.count == 0 }

    /// Makes room for `extra` more bytes without growing again.
    @inlinable public mutating func reserve(_ extra: Int) {
        if self.capacity - self.count < extra { self.grow(toAtLeast: self.count + extra) }
    }

    @usableFromInline mutating func grow(toAtLeast needed: Int) {
        var newCapacity = self.capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: self.base, byteCount: self.count)
        self.base.deallocate()
        self.base = newBase
        self.capacity = newCapacity
    }

    /// Appends one byte.
    @inlinable public mutating func append(_ byte: UInt8) {
        self.reserve(1)
        self.base.storeBytes(of: byte, toByteOffset: self.count, as: UInt8.self)
        self.length += 1
    }

    /// Appends a copy of `bytes`.
    @inlinable @inline(__always) public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        self.reserve(bytes.count)
        let target = self.base + self.count
        if bytes.count <= 16 {
            Self.copySmall(from: source, to: target, count: bytes.count)
        } else {
            target.copyMemory(from: source, byteCount: bytes.count)
        }
        self.length += bytes.count
    }

    /// Copies 1 to 16 bytes with a load and a store from each end (which
    /// overlap unless the count is a power of two), all within both ranges:
    /// a word or a short key is copied in a few instructions rather than a
    /// call to `memmove`.
    @inlinable @inline(__always) static func copySmall(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
        if count >= 8 {
            let (head, tail) = (source.loadUnaligned(as: UInt64.self), source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 {
            let (head, tail) = (source.loadUnaligned(as: UInt32.self), source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else {
            // 1 to 3 bytes: the first, the middle and the last (some of them the same).
            let (first, middle, last) = (source.load(as: UInt8.self), source.load(fromByteOffset: count &>> 1, as: UInt8.self),
                                         source.load(fromByteOffset: count &- 1, as: UInt8.self))
            target.storeBytes(of: first, as: UInt8.self)
            target.storeBytes(of: middle, toByteOffset: count &>> 1, as: UInt8.self)
            target.storeBytes(of: last, toByteOffset: count &- 1, as: UInt8.self)
        }
    }

    /// Appends the bytes of a sequence.
    @inlinable public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        self.reserve(bytes.underestimatedCount)
        for byte in bytes { self.append(byte) }
    }

    /// Appends `value` most significant byte first.
    @inlinable public mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        self.reserve(MemoryLayout<T>.size)
        (self.base + self.count).storeBytes(of: value.bigEndian, as: T.self)
        self.length += MemoryLayout<T>.size
    }

    /// Appends `value` as an unsigned LEB128 varint (7 bits a byte, low first).
    @inlinable public mutating func appendVarint(_ value: UInt64) {
        self.reserve(10)
        var rest = value
        while rest >= 0x80 {
            self.base.storeBytes(of: UInt8(truncatingIfNeeded: rest) | 0x80, toByteOffset: self.count, as: UInt8.self)
            self.length += 1
            rest >>= 7
        }
        self.base.storeBytes(of: UInt8(rest), toByteOffset: self.count, as: UInt8.self)
        self.length += 1
    }

    /// The number of bytes `appendVarint` writes for `value`.
    @inlinable public static func varintCount(_ value: UInt64) -> Int {
        (64 &- (value | 1).leadingZeroBitCount &+ 6) / 7
    }

    /// Lets `body` write up to `limit` bytes in place; `body` returns its
    /// result and how many bytes it wrote.
    public mutating func appendUnsafe<R, E: Error>(
        upTo limit: Int, _ body: (UnsafeMutableRawBufferPointer) throws(E) -> (R, Int)
    ) throws(E) -> R {
        self.reserve(limit)
        let (result, written) = try body(UnsafeMutableRawBufferPointer(start: self.base + self.count, count: limit))
        precondition(written >= 0 && written <= limit, "wrote \(written) bytes into room for \(limit)")
        self.length += written
        return result
    }

    /// Overwrites bytes already written, at `offset`.
    public mutating func storeBigEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        precondition(offset >= 0 && offset + MemoryLayout<T>.size <= self.count)
        (self.base + offset).storeBytes(of: value.bigEndian, as: T.self)
    }

    /// Forgets everything written, keeping the memory.
    @inlinable public mutating func removeAll() {
        self.length = 0
    }

    /// Forgets the bytes after the first `count`.
    @inlinable public mutating func truncate(to count: Int) {
        precondition(count >= 0 && count <= self.count)
        self.length = count
    }
}
