import NIOCore
import NIOSSL

/// Where a process's TLS certificate, its private key and the cluster's CA certificate are (PEM files).
public struct TLSFiles: Sendable, Equatable {
    /// The process's certificate chain.
    public var certificate: String
    /// The process's private key.
    public var key: String
    /// The cluster's CA certificate, the only one a peer's certificate may be signed by.
    public var ca: String

    /// Names the three files.
    public init(certificate: String, key: String, ca: String) {
        self.certificate = certificate
        self.key = key
        self.ca = ca
    }
}

/// Mutual TLS for every connection, control and shuffle alike: each end
/// presents its certificate and accepts the other's only if the cluster's
/// CA signed it. Host names are not checked (peers are often reached by
/// address): a certificate of the cluster's CA is what makes a peer a
/// member, so that CA must be the cluster's own. The HMAC handshake still
/// runs inside, as the check that both ends belong to the same job.
public struct TransportSecurity: Sendable {
    private let serverContext: NIOSSLContext
    private let clientContext: NIOSSLContext

    /// Loads the certificate, key and CA from `files`.
    public init(files: TLSFiles) throws(TransportSecurityError) {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        let roots: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificate)
        } catch {
            throw TransportSecurityError("cannot read a PEM certificate from --tls-cert \(files.certificate): \(error)")
        }
        do {
            key = try NIOSSLPrivateKey(file: files.key, format: .pem)
        } catch {
            throw TransportSecurityError("cannot read a PEM private key from --tls-key \(files.key): \(error)")
        }
        do {
            roots = try NIOSSLCertificate.fromPEMFile(files.ca)
        } catch {
            throw TransportSecurityError("cannot read a PEM certificate from --tls-ca \(files.ca): \(error)")
        }
        guard !chain.isEmpty, !roots.isEmpty else {
            throw TransportSecurityError("no certificate in \(chain.isEmpty ? files.certificate : files.ca)")
        }
        var server = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key), trustRoots: .certificates(roots))
        var client = TLSConfiguration.makeClientConfiguration()
        client.certificateChain = chain.map { .certificate($0) }
        client.privateKey = .privateKey(key)
        client.trustRoots = .certificates(roots)
        client.certificateVerification = .noHostnameVerification
        server.minimumTLSVersion = .tlsv13
        client.minimumTLSVersion = .tlsv13
        let setUp = "cannot set up TLS with \(files.certificate), \(files.key) and \(files.ca)"
        do {
            self.serverContext = try NIOSSLContext(configuration: server)
            self.clientContext = try NIOSSLContext(configuration: client)
        } catch NIOSSLError.failedToLoadPrivateKey {
            throw TransportSecurityError("\(setUp): --tls-key is not the key of --tls-cert")
        } catch {
            throw TransportSecurityError("\(setUp): \(error)")
        }
    }

    /// Adds the server's end of TLS to an accepted connection's pipeline.
    func secureAccepted(_ channel: any Channel) throws {
        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: self.serverContext))
    }

    /// Adds the client's end of TLS to an outgoing connection's pipeline.
    func secureOutgoing(_ channel: any Channel) throws {
        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: self.clientContext, serverHostname: nil))
    }
}
