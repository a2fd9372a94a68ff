import ArgumentParser
import MapReduceCluster

/// `--tls-cert`, `--tls-key` and `--tls-ca`, for `master`, `worker` and `run`: all three turn TLS on.
struct TLSOptions: ParsableArguments {
    @Option(help: "This process's certificate (PEM), signed by the --tls-ca CA; with --tls-key and --tls-ca, every connection is TLS.")
    var tlsCert: String?

    @Option(help: "The private key (PEM) of --tls-cert.")
    var tlsKey: String?

    @Option(help: "The cluster's CA certificate (PEM): a peer must present a certificate it signed.")
    var tlsCa: String?

    func validate() throws {
        let given = [self.tlsCert, self.tlsKey, self.tlsCa].compactMap { $0 }.count
        guard given == 0 || given == 3 else { throw ValidationError("--tls-cert, --tls-key and --tls-ca go together: give all three or none") }
    }

    /// The files given, or nil without TLS.
    var files: TLSFiles? {
        guard let certificate = self.tlsCert, let key = self.tlsKey, let ca = self.tlsCa else { return nil }
        return TLSFiles(certificate: certificate, key: key, ca: ca)
    }

    /// TLS with the files given, or nil without.
    func transportSecurity() throws -> TransportSecurity? {
        try self.files.map(TransportSecurity.init(files:))
    }
}
