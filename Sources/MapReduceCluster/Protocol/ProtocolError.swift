/// A peer that broke the wire protocol, or could not be talked to.
public struct ProtocolError: Error, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }

    static func frameTooLarge(length: Int, limit: Int) -> Self {
        Self("frame of \(length) bytes is larger than the limit of \(limit)")
    }

    static func unexpected(_ message: Message, expecting: String) -> Self {
        Self("expected \(expecting), got \(message.name)")
    }

    static let closed = Self("the connection closed")
}
