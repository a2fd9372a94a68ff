/// Decodes one UTF-8 scalar and tells whether it is a letter.
@usableFromInline enum UnicodeLetters {
    /// One bit per scalar of the Basic Multilingual Plane: is it a letter?
    private static let basicPlane: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        for value in 0..<UInt32(0x10000) {
            if let scalar = Unicode.Scalar(value), isLetter(scalar) {
                bits[Int(value >> 6)] |= 1 << (value & 63)
            }
        }
        return bits
    }()

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    /// Classifies the scalar whose encoding starts at `bytes` (a byte of 0x80 or more).
    ///
    /// Returns whether it is a letter and how many bytes it takes; a byte
    /// that does not start a valid encoding is one byte that is no letter.
    @usableFromInline static func classify(_ bytes: UnsafePointer<UInt8>, available: Int) -> (isLetter: Bool, length: Int) {
        guard let (value, length) = decode(bytes, available: available) else { return (false, 1) }
        if value < 0x10000 {
            return (basicPlane[Int(value >> 6)] & (1 << (value & 63)) != 0, length)
        }
        return (isLetter(Unicode.Scalar(value)!), length)
    }

    /// Decodes a multi-byte scalar by the rules of RFC 3629 (no overlong
    /// forms, no surrogates, nothing above U+10FFFF).
    private static func decode(_ p: UnsafePointer<UInt8>, available: Int) -> (UInt32, Int)? {
        let lead = p[0]
        func continuation(_ i: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> UInt32? {
            guard i < available, (low...high).contains(p[i]) else { return nil }
            return UInt32(p[i] & 0x3F)
        }
        switch lead {
        case 0xC2...0xDF:
            guard let c1 = continuation(1) else { return nil }
            return (UInt32(lead & 0x1F) << 6 | c1, 2)
        case 0xE0...0xEF:
            let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
            guard let c1 = continuation(1, low, high), let c2 = continuation(2) else { return nil }
            return (UInt32(lead & 0x0F) << 12 | c1 << 6 | c2, 3)
        case 0xF0...0xF4:
            let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
            guard let c1 = continuation(1, low, high), let c2 = continuation(2), let c3 = continuation(3) else { return nil }
            return (UInt32(lead & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4)
        default:
            return nil
        }
    }
}
