/// A plain, independent statement of the word rule for tests: decode with
/// the standard library's UTF-8 parser, and keep maximal runs of scalars
/// whose General Category is a letter.
public enum ReferenceWords {
    public static func words(in bytes: [UInt8]) -> [[UInt8]] {
        var words: [[UInt8]] = []
        var current: [UInt8] = []
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        func endWord() {
            if !current.isEmpty { words.append(current) }
            current = []
        }
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                switch scalar.properties.generalCategory {
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
                    current += Array(encoded)
                default:
                    endWord()
                }
            case .error:
                endWord()
            case .emptyInput:
                endWord()
                break loop
            }
        }
        return words
    }

    /// Word counts over all of `texts`, keyed by the word as a String.
    public static func count(_ texts: [[UInt8]]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for text in texts {
            for word in words(in: text) { counts[String(decoding: word, as: UTF8.self), default: 0] += 1 }
        }
        return counts
    }
}
