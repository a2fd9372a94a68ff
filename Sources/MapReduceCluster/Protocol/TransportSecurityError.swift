import NIOSSL

/// TLS that could not be set up, or a connection whose TLS failed, in one line.
public struct TransportSecurityError: Error, Hashable, CustomStringConvertible {
    /// The line the user sees.
    public var description: String
    /// Whether the peer closed the connection in the TLS handshake, as a busy server
    /// does when a flood evicts the connection from its handshake table.
    public var closedInHandshake = false

    init(_ description: String) {
        self.description = description
    }

    /// What went wrong with TLS on a connection to `peer`, if `error` is a TLS failure; otherwise `error` itself.
    static func explaining(_ error: any Error, peer: String) -> any Error {
        switch error {
        case NIOSSLError.handshakeFailed(let failure):
            return Self(reason: "\(failure)", peer: peer)
        case let failure as BoringSSLError:
            return Self(reason: "\(failure)", peer: peer)
        case NIOSSLError.uncleanShutdown:
            return Self("\(peer) closed the connection without ending TLS")
        case let failure as NIOSSLError:
            return Self("TLS with \(peer) failed: \(failure)")
        default:
            return error
        }
    }

    /// `reason` is BoringSSL's error stack, whose entries name the failure (`...:OPENSSL_internal:NAME at file:line`).
    private init(reason: String, peer: String) {
        let name = Self.failureName(in: reason)
        if name.contains("CERTIFICATE_VERIFY_FAILED") {
            self.init("certificate verify failed: \(peer) presented a certificate that the CA of --tls-ca did not sign")
        } else if name.contains("ALERT") && ["CERTIFICATE", "UNKNOWN_CA", "DECRYPT_ERROR"].contains(where: name.contains) {
            // DECRYPT_ERROR: a CA of the same name as the peer's own, whose signature did not verify.
            self.init("\(peer) refused this process's certificate (\(name)): is it signed by the CA the peer trusts?")
        } else if name.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") {
            self.init("\(peer) presented no certificate: is TLS set up on it?")
        } else if name.contains("WRONG_VERSION_NUMBER") || name.contains("HTTP_REQUEST") {
            self.init("\(peer) does not speak TLS (\(name)): give --tls-cert, --tls-key and --tls-ca to every process, or to none")
        } else if name.contains("EOF during handshake") {
            self.init("\(peer) closed the connection in the TLS handshake: it may be busy, or not speak TLS")
            self.closedInHandshake = true
        } else {
            self.init("TLS with \(peer) failed: \(name)")
        }
    }

    /// The names of the failures in BoringSSL's error stack, joined by commas; the whole text if it names none.
    private static func failureName(in reason: String) -> String {
        let marker = "OPENSSL_internal:"
        let names = reason.components(separatedBy: marker).dropFirst().map { String($0.prefix { $0 != " " && $0 != "]" && $0 != "," }) }
        return names.isEmpty ? reason : names.joined(separator: ", ")
    }
}
