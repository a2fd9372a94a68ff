import ArgumentParser
import Logging
import MapReduce
import MapReduceCluster
import MapReduceWeb
import Prometheus

/// `--http` and its token: the master's web page, JSON API and metrics.
struct WebOptions: ParsableArguments {
    @Option(
        help: """
            Serve the job's web page, its JSON API and /metrics on this address (port 0 picks a free port; \
            the address is printed at start). On an address other than loopback, requests need a token.
            """)
    var http: Endpoint?

    @Option(help: "A file holding the web page's token (default: one made at start and printed with the address).")
    var httpTokenFile: String?

    /// The metrics registry the master's metrics go to, and `/metrics` reads.
    let registry = PrometheusCollectorRegistry()

    enum CodingKeys: CodingKey {
        case http, httpTokenFile
    }

    /// The master's metrics, recorded into `registry`.
    var masterMetrics: MasterMetrics {
        MasterMetrics(factory: PrometheusMetricsFactory(registry: self.registry))
    }

    /// A worker's metrics, recorded into `registry`.
    var workerMetrics: WorkerMetrics {
        WorkerMetrics(factory: PrometheusMetricsFactory(registry: self.registry))
    }

    /// Runs `body` with the web server for `master` up (on `--http`, or on `fallback` without it),
    /// handing it the line that says where the server is, for `body` to print when the job begins.
    func serving<T>(
        _ master: Master?, fallback: Endpoint?, name: String, logger: Logger, _ body: (String?) async throws -> T
    ) async throws -> T {
        let (server, announcement) = try await self.start(for: master, fallback: fallback, name: name, logger: logger) ?? (nil, nil)
        do {
            let result = try await body(announcement)
            await server?.stop()
            return result
        } catch {
            await server?.stop()
            throw error
        }
    }

    /// Starts the web server for `master` on `--http`, or on `fallback` without it; returns it and
    /// the line that says where it is.
    func start(for master: Master?, fallback: Endpoint?, name: String, logger: Logger) async throws -> (StatusServer, String)? {
        guard let listen = self.http ?? fallback else { return nil }
        let token = try WebToken.token(file: self.httpTokenFile, for: listen)
        let server = try await StatusServer.start(
            listen: listen, access: StatusAccess(token: token), master: master, metrics: self.registry, logger: logger)
        // A token of the user's own stays out of the terminal; one made here must be shown to be of use.
        let shown = self.httpTokenFile == nil ? token : nil
        let address = server.address(path: master == nil ? "metrics" : "", token: shown)
        let note = self.httpTokenFile.map { " (with the token in \($0))" } ?? ""
        return (server, "\(name): \(master == nil ? "metrics" : "job page") at \(address)\(note)")
    }
}

/// The token a web server asks for: read from a file, or made at start off loopback.
enum WebToken {
    static func token(file: String?, for listen: Endpoint) throws -> String? {
        if let file {
            let token: String
            do {
                token = String(decoding: try FileDescriptor.open(reading: file).readToEnd(), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw JobError("cannot read the token file \(file): \(error)")
            }
            guard token.count >= 16, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw JobError("the token in \(file) must be at least 16 printable ASCII characters")
            }
            return token
        }
        return StatusAccess.isLoopback(listen.host) ? nil : StatusAccess.randomToken()
    }
}
