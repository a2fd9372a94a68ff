/// Words ranked by frequency, and a sampler of ranks by Zipf's law.
struct Vocabulary {
    static let common = """
        the of and to a in is it you that he was for on are with as I his they be at one have this from or \
        had by not word but what some we can out other were all there when up use your how said an each she \
        which do their time if will way about many then them write would like so these her long make thing see \
        him two has look more day could go come did number sound no most people my over know water than call \
        first who may down side been now find any new work part take get place made live where after back little \
        only round man year came show every good me give our under name very through just form
        """.split(separator: " ").map(String.init)

    static let onsets = ["b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "ch", "cl", "dr", "gr", "pl", "sh", "st", "th", "tr", ""]
    static let vowels = ["a", "e", "i", "o", "u", "ea", "ou", "ai", "io", "ee"]
    static let codas = ["", "", "n", "r", "s", "t", "l", "nd", "st", "ng", "ck", "rt"]
    static let accented = ["é", "è", "ö", "ü", "ñ", "å", "ç", "ï"]

    let words: [[UInt8]]
    private let sampler: ZipfSampler

    init(size: Int, random: inout SplitMix64) {
        var seen = Set(Self.common)
        var words = Self.common
        while words.count < size {
            var word = ""
            for _ in 0..<(1 + Int(random.next() % 3)) {
                word += Self.onsets.randomElement(using: &random)! + Self.vowels.randomElement(using: &random)!
            }
            word += Self.codas.randomElement(using: &random)!
            if random.next() % 100 == 0 {
                let position = word.index(word.startIndex, offsetBy: Int(random.next() % UInt64(word.count)))
                word.replaceSubrange(position...position, with: Self.accented.randomElement(using: &random)!)
            }
            if seen.insert(word).inserted { words.append(word) }
        }
        self.words = words.map { Array($0.utf8) }
        self.sampler = ZipfSampler(count: size)
    }

    /// A word drawn by Zipf's law.
    func sample(random: inout SplitMix64) -> [UInt8] {
        self.words[self.sampler.sample(&random)]
    }
}
