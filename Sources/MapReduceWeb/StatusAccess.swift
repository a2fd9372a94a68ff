import Crypto
import Foundation
import Hummingbird

/// Who may read the web server: anyone who reaches it (on a loopback
/// address), or only requests that carry the token, as `?token=TOKEN` or
/// `Authorization: Bearer TOKEN`. Without a token, a request must also name
/// a loopback host in its `Host` header, so that a web page the user visits
/// cannot read the server through a name it rebinds to 127.0.0.1.
public struct StatusAccess: RouterMiddleware, Sendable {
    /// The router's request context.
    public typealias Context = BasicRequestContext
    /// The token every request must carry; nil lets every request in.
    public let token: String?

    /// Lets in requests that carry `token`, or with nil every request for a loopback host.
    public init(token: String?) {
        self.token = token
    }

    /// A token of 128 random bits, in hex.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// Whether `host` is a loopback address (`localhost`, `::1` or an IPv4 address in 127.0.0.0/8), which needs no token.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { UInt8($0) != nil } && octets[0] == "127"
    }

    /// The host of a `Host` header: `127.0.0.1` of `127.0.0.1:8080`, `::1` of `[::1]:8080`.
    static func host(ofAuthority authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        return String(authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }

    /// `text` with every byte but letters, digits and `-._~` percent-encoded, for a query.
    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    /// Passes the request on if it may read the server; otherwise answers 403 (a host not loopback) or 401 (no token, or a wrong one).
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let token = self.token else {
            if let authority = request.head.authority, !Self.isLoopback(Self.host(ofAuthority: authority)) {
                throw HTTPError(.forbidden, message: "this server answers requests for a loopback host only")
            }
            return try await next(request, context)
        }
        let offered =
            request.uri.queryParameters["token"].map(String.init)
            ?? request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let offered, Self.constantTimeEqual(offered, token) else {
            throw HTTPError(.unauthorized, message: "this page needs the token the master printed at start (?token=...)")
        }
        return try await next(request, context)
    }

    /// Compares the tokens' digests, so that the time taken says nothing of where they differ.
    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        SHA256.hash(data: Data(a.utf8)) == SHA256.hash(data: Data(b.utf8))
    }
}
