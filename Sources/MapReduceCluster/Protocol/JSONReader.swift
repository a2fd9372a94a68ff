/// Reads JSON of a shape known in advance, fast and without Foundation, for the
/// messages a master gets once per task event or more. It takes only a plain
/// subset of JSON: strings without escapes, integers without fraction or
/// exponent, no key twice, no key it was not told of. On anything else it
/// answers nil, and the caller decodes the body with `JSONDecoder` instead, so
/// what it accepts it reads exactly as `JSONDecoder` would.
struct JSONReader {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Whether every byte has been read, but for white space.
    mutating func atEnd() -> Bool {
        self.skipSpace()
        return self.index == self.bytes.count
    }

    /// Reads `byte`, after any white space; false (reading nothing) if another byte is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        self.skipSpace()
        guard self.index < self.bytes.count, self.bytes[self.index] == byte else { return false }
        self.index += 1
        return true
    }

    /// Reads an object, handing `field` each key (with the reader before its value); false if it
    /// is not an object, or if `field` answers false: it could not read the value, or had it already
    /// (see `set`).
    mutating func object(_ field: (inout JSONReader, String) -> Bool) -> Bool {
        guard self.consume(UInt8(ascii: "{")) else { return false }
        if self.consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = self.string(), self.consume(UInt8(ascii: ":")), field(&self, key) else { return false }
        } while self.consume(UInt8(ascii: ","))
        return self.consume(UInt8(ascii: "}"))
    }

    /// Reads an array, reading each element with `element`; false if it is not one, or `element` answers false.
    mutating func array(_ element: (inout JSONReader) -> Bool) -> Bool {
        guard self.consume(UInt8(ascii: "[")) else { return false }
        if self.consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while self.consume(UInt8(ascii: ","))
        return self.consume(UInt8(ascii: "]"))
    }

    /// Reads a string without escapes or control characters, in valid UTF-8.
    mutating func string() -> String? {
        guard self.consume(UInt8(ascii: "\"")) else { return nil }
        let start = self.index
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                defer { self.index += 1 }
                return String(validating: UnsafeRawBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
            }
            guard byte >= 0x20, byte != UInt8(ascii: "\\") else { return nil }
            self.index += 1
        }
        return nil
    }

    /// Reads an integer: an optional minus, then digits without a leading zero; nil if a
    /// fraction or an exponent follows, or if it does not fit 64 bits.
    mutating func integer() -> Int64? {
        let negative = self.consume(UInt8(ascii: "-"))
        let start = self.index
        var magnitude: UInt64 = 0
        while self.index < self.bytes.count, case let digit = self.bytes[self.index] &- UInt8(ascii: "0"), digit < 10 {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
            self.index += 1
        }
        let digits = self.index - start
        guard digits > 0, digits == 1 || self.bytes[start] != UInt8(ascii: "0") else { return nil }
        if self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
            default: break
            }
        }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// Puts a field's value in `slot`; false if there is none (it could not be read) or the slot
    /// is taken already (the key came twice).
    static func set<T>(_ slot: inout T?, _ value: T?) -> Bool {
        guard slot == nil, let value else { return false }
        slot = value
        return true
    }

    private mutating func skipSpace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x09, 0x0A, 0x0D: self.index += 1
            default: return
            }
        }
    }
}
