import Foundation
import MapReduce
import MapReduceCluster
import Testing
import TestSupport

/// Secrets are bytes: read raw from their file, compared as keys, never decoded as text.
@Suite struct SecretTests {
    static let parts = ["client", String(repeating: "a", count: 64), String(repeating: "b", count: 64)]

    /// Whether `verifier` accepts what `prover` proves.
    static func accepts(_ verifier: Secret, _ prover: Secret) -> Bool {
        verifier.verifies(prover.proof(parts[0], parts[1], parts[2]), of: parts[0], parts[1], parts[2])
    }

    @Test func secretsThatDecodeToTheSameTextDoNotAuthenticateEachOther() throws {
        // Invalid UTF-8 both: a lossy decoding makes each 32 replacement characters.
        let first = [UInt8](repeating: 0xff, count: 32)
        let second = [UInt8](repeating: 0xfe, count: 32)
        #expect(String(decoding: first, as: UTF8.self) == String(decoding: second, as: UTF8.self))
        let a = try Secret(bytes: first)
        let b = try Secret(bytes: second)
        #expect(Self.accepts(a, a))
        #expect(Self.accepts(b, b))
        #expect(!Self.accepts(a, b))
        #expect(!Self.accepts(b, a))
    }

    @Test func malformedProofsAreRefused() throws {
        let secret = try Secret(bytes: Array("sixteen or more bytes".utf8))
        let genuine = secret.proof(Self.parts[0], Self.parts[1], Self.parts[2])
        for proof in ["", "zz", String(genuine.dropLast(2)), genuine + "00", String(genuine.dropLast()) + "g"] {
            #expect(!secret.verifies(proof, of: Self.parts[0], Self.parts[1], Self.parts[2]), "\(proof)")
        }
        #expect(secret.verifies(genuine, of: Self.parts[0], Self.parts[1], Self.parts[2]))
    }

    @Test func aSecretFileIsItsBytesLessOneLineEnding() throws {
        let directory = try TemporaryDirectory()
        let raw: [UInt8] = [0x00, 0xff, 0x80, 0x0a, 0x20] + Array("sixteen or more".utf8)
        let expected = try Secret(bytes: raw)
        let cases: [(contents: [UInt8], same: Bool)] = [
            (raw, true), (raw + [0x0a], true), (raw + [0x0d, 0x0a], true),
            (raw + [0x0a, 0x0a], false), (raw + [0x20], false), ([0x20] + raw, false), (raw + [0x0d], false),
        ]
        for (i, (contents, same)) in cases.enumerated() {
            let file = try directory.write("secret-\(i)", contents)
            #expect(Self.accepts(try Secret(file: file), expected) == same, "case \(i): \(contents)")
        }
    }

    @Test func aSecretFileOthersMayReadIsRefusedUnlessAllowed() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("secret", Array("sixteen or more bytes\n".utf8))
        for mode in [0o644, 0o640, 0o604] {
            #expect(chmod(file, mode_t(mode)) == 0)
            let error = try #require(throws: SecretError.self) { try Secret(file: file) }
            #expect(error.problem == .readableByOthers(path: file, permissions: mode_t(mode)))
            #expect(
                error.description == "the secret file \(file) can be read by others (mode \(String(mode, radix: 8))): "
                    + "run `chmod 600 \(file)`, or pass --allow-readable-secret-file")
            #expect(Self.accepts(try Secret(file: file, allowReadable: true), try Secret(bytes: Array("sixteen or more bytes".utf8))))
        }
        #expect(chmod(file, 0o600) == 0)
        _ = try Secret(file: file)
    }

    @Test func shortAndMissingSecretsAreClearErrors() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("short", Array("fifteen bytes!!\n".utf8))
        #expect(throws: SecretError(source: "the secret file \(file)", problem: .tooShort(bytes: 15))) { try Secret(file: file) }
        let missing = "\(directory.path)/missing"
        let error = try #require(throws: SecretError.self) { try Secret(file: missing) }
        #expect(error.description == "cannot open \(missing): No such file or directory")
    }
}
