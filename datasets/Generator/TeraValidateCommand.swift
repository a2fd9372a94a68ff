import ArgumentParser
import Foundation
import MapReduce

/// Checks a TeraSort output against its input.
struct TeraValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teravalidate",
        abstract: "Check that a TeraSort output holds exactly the input's records, globally sorted.",
        discussion: """
            Reads the output directory's part files in order as one run of 100-byte records, \
            checks that the keys never descend, and that the records' count and checksum (the \
            sum of each record's CRC-32, which does not depend on order) equal the input's. \
            Prints the figures; exits non-zero on any difference.
            """)

    @Option(help: "The TeraSort output directory (its part-r-* files are read in order).")
    var output: String

    @Argument(help: "The TeraSort input: files, directories and globs, as the job took them.")
    var inputs: [String]

    struct Summary: Equatable {
        var records = 0
        var checksum: UInt64 = 0
    }

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    func run() throws {
        var input = Summary()
        for file in try InputPaths.expand(self.inputs) { try Self.scan(file.path, into: &input, checkOrder: false) }
        var sorted = Summary()
        let parts = try FileManager.default.contentsOfDirectory(atPath: self.output).filter { $0.hasPrefix("part-") }.sorted()
        var previous: [UInt8]?
        for part in parts { previous = try Self.scan("\(self.output)/\(part)", into: &sorted, checkOrder: true, after: previous) }
        print("input:  \(input.records) records, checksum \(String(input.checksum, radix: 16))")
        print("output: \(sorted.records) records, checksum \(String(sorted.checksum, radix: 16)), keys in order")
        guard input == sorted else { throw Invalid(description: "the output does not hold exactly the input's records") }
    }

    /// Adds the records of the file at `path` to `summary`; with `checkOrder`, throws
    /// if a key is below the one before it. Returns the last key.
    @discardableResult
    static func scan(_ path: String, into summary: inout Summary, checkOrder: Bool, after previous: [UInt8]? = nil) throws -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path) else { throw Invalid(description: "cannot read \(path)") }
        guard data.count % 100 == 0 else { throw Invalid(description: "\(path) is not a whole number of 100-byte records") }
        var last = previous
        try data.withUnsafeBytes { bytes in
            for start in stride(from: 0, to: bytes.count, by: 100) {
                let record = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + 100)])
                let key = Array(record[0..<10])
                if checkOrder, let last, key.lexicographicallyPrecedes(last) {
                    throw Invalid(description: "\(path): the record at byte \(start) is out of order")
                }
                last = key
                summary.records += 1
                summary.checksum &+= UInt64(CRC32.checksum(record))
            }
        }
        return last
    }
}
