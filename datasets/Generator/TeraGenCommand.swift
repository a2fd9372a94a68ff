import ArgumentParser

/// TeraSort input: 100-byte binary records with random 10-byte keys.
struct TeraGenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teragen",
        abstract: "TeraSort input: 100-byte records, a random 10-byte key each.",
        discussion: """
            Each record is gensort's binary layout: a 10-byte key of random bytes (any \
            byte, newline included), 0x00 0x11, the row id as 32 hex digits, 0x88 0x99 \
            0xAA 0xBB, 48 filler bytes, 0xCC 0xDD 0xEE 0xFF. There is no line structure.
            """)

    @Option(help: "The number of records.")
    var records = 10_000

    @Option(help: "The seed; the same seed and count give the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "The file to write (standard output if not given).")
    var output: String?

    func run() throws {
        var row = 0
        try writeGeneratedLines(seed: self.seed, size: .max, to: self.output) { random in
            guard row < self.records else { return [] }
            defer { row += 1 }
            return Self.record(row: row, random: &random)
        }
    }

    static func record(row: Int, random: inout SplitMix64) -> [UInt8] {
        var record = (0..<10).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        record += [0x00, 0x11]
        record += Array(String(row, radix: 16, uppercase: true).leftPadded(to: 32).utf8)
        record += [0x88, 0x99, 0xAA, 0xBB]
        let filler = UInt8(ascii: "A") + UInt8(row % 26)
        record += [UInt8](repeating: filler, count: 48)
        record += [0xCC, 0xDD, 0xEE, 0xFF]
        return record
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
