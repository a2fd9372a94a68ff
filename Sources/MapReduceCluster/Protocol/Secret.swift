import Crypto
import Foundation

/// The shared secret every process of a job knows; it authenticates every connection.
public struct Secret: Sendable {
    /// The secret's text, to hand to child processes.
    public let text: String

    /// The name of the environment variable `run` hands the secret to its workers in.
    public static let environmentVariable = "MAPREDUCE_SECRET"

    public init(text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count >= 16 else { throw ProtocolError("the secret must be at least 16 characters") }
        self.text = trimmed
    }

    /// Reads the secret from a file (its contents, without surrounding white space).
    public init(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProtocolError("cannot read the secret file \(path)")
        }
        try self.init(text: String(decoding: data, as: UTF8.self))
    }

    /// A fresh random secret of 32 bytes.
    public static func random() -> Secret {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // 64 hex characters are always long enough.
        return try! Secret(text: bytes.hexString)
    }

    /// HMAC-SHA256 of the parts joined by `|`, in hex.
    public func proof(_ parts: String...) -> String {
        Array(HMAC<SHA256>.authenticationCode(for: Array(parts.joined(separator: "|").utf8), using: SymmetricKey(data: Array(self.text.utf8)))).hexString
    }
}

extension Sequence<UInt8> {
    /// Lowercase hex, two digits a byte (without `String(format:)`, which costs a flooded server more than the rest of a challenge).
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
