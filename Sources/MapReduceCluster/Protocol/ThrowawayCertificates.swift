import Crypto
import Foundation
import MapReduce
import SwiftASN1
import X509

/// A certificate authority made for one run and forgotten after it, and one
/// certificate it signed, which every process of the run presents: what
/// `run --tls` uses when no certificates are given. The certificate names
/// 127.0.0.1 and localhost, the addresses a local cluster uses.
public struct ThrowawayCertificates: Sendable {
    /// The CA's certificate, as PEM.
    public let caPEM: String
    /// The certificate the CA signed, as PEM.
    public let certificatePEM: String
    /// The certificate's private key, as PEM.
    public let privateKeyPEM: String

    /// Makes a new CA (a P-256 key) and signs a new certificate with it, both valid
    /// for a year: a run may last long, and its key goes with it anyway.
    public init() throws {
        let now = Date()
        let validity = (before: now - 3600, after: now + 365 * 24 * 3600)
        let caKey = P256.Signing.PrivateKey()
        // A name of its own: a verifier looks the issuer up by name.
        let caName = try DistinguishedName { CommonName("mapreduce throwaway CA \(UInt64.random(in: 0...UInt64.max))") }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(caKey.publicKey),
            notValidBefore: validity.before, notValidAfter: validity.after, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(caKey))
        let key = P256.Signing.PrivateKey()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: validity.before, notValidAfter: validity.after, issuer: caName,
            subject: try DistinguishedName { CommonName("mapreduce local cluster") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames([.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])), .dnsName("localhost")])
            },
            issuerPrivateKey: .init(caKey))
        self.caPEM = try ca.serializeAsPEM().pemString
        self.certificatePEM = try certificate.serializeAsPEM().pemString
        self.privateKeyPEM = key.pemRepresentation
    }

    /// Makes `directory` (mode 0700; it must not exist) and writes the three
    /// in it as `ca.pem`, `cert.pem` and `key.pem` (mode 0600); returns their paths.
    public func write(in directory: String) throws -> TLSFiles {
        try FileSystem.makeDirectory(directory, access: .ownerOnly, withParents: false)
        let files = TLSFiles(certificate: "\(directory)/cert.pem", key: "\(directory)/key.pem", ca: "\(directory)/ca.pem")
        for (path, text) in [(files.ca, self.caPEM), (files.certificate, self.certificatePEM), (files.key, self.privateKeyPEM)] {
            try Self.writePrivately(text, to: path)
        }
        return files
    }

    /// Creates `path` (it must not exist) with mode 0600 and writes `text` to it.
    private static func writePrivately(_ text: String, to path: String) throws {
        let descriptor = PathBytes.withCString(path) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
        guard descriptor >= 0 else { throw SystemError("create", path: path, errno: errno) }
        let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try file.write(contentsOf: Data(text.utf8))
        try file.close()
    }
}
