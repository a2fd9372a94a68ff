import Crypto
import Foundation
import MapReduce

/// The shared secret every process of a job knows; it authenticates every connection.
///
/// A secret is bytes, any bytes, used as they are as the HMAC-SHA256 key; it
/// is never decoded as text.
public struct Secret: Sendable {
    /// The secret's bytes, the HMAC key.
    private let bytes: [UInt8]

    /// The fewest bytes a secret may have.
    public static let minimumLength = 16

    /// The name of the environment variable `run` hands the secret to its workers in.
    public static let environmentVariable = "MAPREDUCE_SECRET"

    /// A secret of `bytes`, which must be at least `minimumLength` of them; `source` names where they came from.
    public init(bytes: [UInt8], from source: String = "the secret") throws(SecretError) {
        guard bytes.count >= Self.minimumLength else {
            throw SecretError(source: source, problem: .tooShort(bytes: bytes.count))
        }
        self.bytes = bytes
    }

    /// Reads the secret from the file at `path`: its bytes, less one line ending
    /// (`\n` or `\r\n`) at the very end, if there is one. A file that its group or
    /// others may read is refused, unless `allowReadable`.
    public init(file path: String, allowReadable: Bool = false) throws(SecretError) {
        let source = "the secret file \(path)"
        let permissions: mode_t
        var bytes: [UInt8]
        do throws(SystemError) {
            let file = try FileDescriptor.open(reading: path)
            permissions = try file.status().permissions
            bytes = try file.readToEnd()
        } catch {
            throw SecretError(source: source, problem: .unreadable(error))
        }
        guard allowReadable || permissions & 0o044 == 0 else {
            throw SecretError(source: source, problem: .readableByOthers(path: path, permissions: permissions))
        }
        if bytes.last == UInt8(ascii: "\n") {
            bytes.removeLast()
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        }
        try self.init(bytes: bytes, from: source)
    }

    /// Takes the secret out of this process's environment (`environmentVariable`),
    /// its bytes as they are: the variable is gone from the environment at once,
    /// so that no process started from here on inherits it. Nil if it is not set.
    public static func takeFromEnvironment() throws(SecretError) -> Secret? {
        guard let value = getenv(Self.environmentVariable) else { return nil }
        let bytes = Array(UnsafeRawBufferPointer(start: value, count: strlen(value)))
        unsetenv(Self.environmentVariable)
        return try Secret(bytes: bytes, from: "the environment variable \(Self.environmentVariable)")
    }

    /// A fresh random secret: 32 random bytes written as 64 hex characters,
    /// text that can be handed over in an environment variable.
    public static func random() -> Secret {
        var generator = SystemRandomNumberGenerator()
        let text = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
        return Secret(uncheckedBytes: Array(text.utf8))
    }

    private init(uncheckedBytes bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The value of `environmentVariable` that hands this secret to a child process:
    /// only text can travel there, so only a secret made by `random()` may.
    var environmentValue: String {
        guard let text = String(validating: self.bytes, as: UTF8.self), !self.bytes.contains(0) else {
            preconditionFailure("only a secret made by Secret.random() is handed over in the environment")
        }
        return text
    }

    /// HMAC-SHA256 of the parts joined by `|`, in hex.
    public func proof(_ parts: String...) -> String {
        Array(HMAC<SHA256>.authenticationCode(for: Self.message(parts), using: SymmetricKey(data: self.bytes))).hexString
    }

    /// Whether `proof` (in hex) is the proof of `parts`, compared in constant time.
    public func verifies(_ proof: String, of parts: String...) -> Bool {
        guard let code = [UInt8](hex: proof), code.count == SHA256.byteCount else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Self.message(parts), using: SymmetricKey(data: self.bytes))
    }

    private static func message(_ parts: [String]) -> [UInt8] {
        Array(parts.joined(separator: "|").utf8)
    }
}

/// A secret that cannot be used: where it came from, and what is wrong with it.
public struct SecretError: Error, Hashable, CustomStringConvertible {
    /// What is wrong with a secret.
    public enum Problem: Hashable, Sendable {
        /// It has fewer bytes than `Secret.minimumLength`.
        case tooShort(bytes: Int)
        /// The file's group or others may read it.
        case readableByOthers(path: String, permissions: mode_t)
        /// It could not be read.
        case unreadable(SystemError)
    }

    /// Where the secret came from: "the secret file secret.txt".
    public var source: String
    /// What is wrong with it.
    public var problem: Problem

    /// Makes the error of the secret from `source` with `problem`.
    public init(source: String, problem: Problem) {
        self.source = source
        self.problem = problem
    }

    /// The source and the problem, with what to do about it.
    public var description: String {
        switch self.problem {
        case .tooShort(let bytes):
            return "\(self.source) has \(bytes) bytes; a secret needs at least \(Secret.minimumLength)"
        case .readableByOthers(let path, let permissions):
            return "\(self.source) can be read by others (mode \(String(permissions, radix: 8))): "
                + "run `chmod 600 \(path)`, or pass --allow-readable-secret-file"
        case .unreadable(let error):
            return "\(error)"
        }
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

extension [UInt8] {
    /// The bytes that `hex` (an even number of hex digits) writes; nil if it is anything else.
    init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Self.value(ofHexDigit: digits[i]), let low = Self.value(ofHexDigit: digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self = bytes
    }

    private static func value(ofHexDigit digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
