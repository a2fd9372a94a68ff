/// A spill or map output file (or a shuffled segment of one) that cannot be read.
public struct SpillFormatError: Error, Hashable, CustomStringConvertible {
    /// What kind of damage was found.
    public enum Code: Hashable, Sendable {
        /// The file or segment ends early.
        case truncated
        /// The file does not start or end with the format's magic bytes.
        case notASpillFile
        /// A CRC-32 does not match.
        case checksumMismatch
        /// A length, count or offset is impossible.
        case corrupt
    }

    /// What kind of damage was found.
    public var code: Code
    /// The file and what was wrong, expected versus found.
    public var detail: String

    /// Makes the error of `code` that `detail` describes.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `spill format error`, the code and the detail.
    public var description: String { "spill format error (\(self.code)): \(self.detail)" }
}
