/// zlib refused to compress or decompress.
public struct CompressionError: Error, Hashable, CustomStringConvertible {
    /// The zlib function that failed.
    public var operation: String
    /// zlib's return code.
    public var code: Int32
    /// zlib's message, when it gave one.
    public var message: String

    /// `zlib`, the function, the code and the message.
    public var description: String {
        "zlib \(self.operation) failed (code \(self.code))" + (self.message.isEmpty ? "" : ": \(self.message)")
    }
}
