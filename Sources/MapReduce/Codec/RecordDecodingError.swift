/// Encoded key or value bytes that do not decode.
public struct RecordDecodingError: Error, Hashable, CustomStringConvertible {
    /// What was wrong with the bytes.
    public var detail: String

    /// Makes the error that `detail` describes.
    public init(_ detail: String) {
        self.detail = detail
    }

    /// `cannot decode record:` and the detail.
    public var description: String { "cannot decode record: \(self.detail)" }

    /// The bytes ended `needed` bytes early.
    public static func truncated(needed: Int, remaining: Int) -> Self {
        Self("truncated: needed \(needed) bytes, \(remaining) left")
    }

    /// The bytes are not a valid encoding.
    public static func invalid(_ detail: String) -> Self {
        Self(detail)
    }
}
