/// Turns words into sentences, lines and paragraphs.
struct TextWriter {
    let vocabulary: Vocabulary
    private var pending: [UInt8] = []
    private var linesInParagraph = 0
    private static let width = 72

    init(vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
    }

    /// The next line, with its newline.
    mutating func nextLine(random: inout SplitMix64) -> [UInt8] {
        if self.linesInParagraph > 4, random.next() % 6 == 0 {
            self.linesInParagraph = 0
            return [UInt8(ascii: "\n")]
        }
        while self.pending.count <= Self.width {
            self.appendSentence(random: &random)
        }
        var cut = Self.width
        while cut > 0, self.pending[cut] != UInt8(ascii: " ") { cut -= 1 }
        if cut == 0 { cut = Self.width }
        var line = Array(self.pending[..<cut])
        self.pending.removeFirst(min(cut + 1, self.pending.count))
        line.append(UInt8(ascii: "\n"))
        self.linesInParagraph += 1
        return line
    }

    private mutating func appendSentence(random: inout SplitMix64) {
        let length = 4 + Int(random.next() % 16)
        for i in 0..<length {
            var word = self.vocabulary.sample(random: &random)
            if i == 0, let first = word.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) {
                word[0] = first - 32
            }
            self.pending += word
            if i == length - 1 {
                self.pending += [[UInt8(ascii: ".")], [UInt8(ascii: "?")], [UInt8(ascii: "!")]][Int(random.next() % 10 / 8)]
            } else if random.next() % 12 == 0 {
                self.pending.append(UInt8(ascii: ","))
            }
            self.pending.append(UInt8(ascii: " "))
        }
    }
}
