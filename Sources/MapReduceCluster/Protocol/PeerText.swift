/// Free text from a peer, made safe to log and to write into reports.
enum PeerText {
    /// `text` as one line of at most `PeerInputLimits.maxTextLength` characters: control
    /// characters (line breaks included) become spaces, and what is too long is cut, marked with `…`.
    static func line(_ text: String) -> String {
        let limit = PeerInputLimits.maxTextLength
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.prefix(limit) {
            scalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        return String(scalars) + (text.unicodeScalars.dropFirst(limit).isEmpty ? "" : "…")
    }

    /// Whether `name` is a plausible host name or address: 1 to 253 letters, digits and `.-_:%`.
    static func isHostName(_ name: String) -> Bool {
        (1...PeerInputLimits.maxHostNameLength).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || ".-_:%".utf8.contains(byte)
            }
    }

    /// Whether `name` is a usable counter or job name: 1 to 200 bytes, no control characters.
    static func isName(_ name: String) -> Bool {
        (1...PeerInputLimits.maxNameLength).contains(name.utf8.count)
            && !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
