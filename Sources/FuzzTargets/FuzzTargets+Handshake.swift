import Foundation
import MapReduce
import MapReduceCluster
import NIOCore

extension FuzzTargets {
    /// The handshake's state machine, either side, fed what a peer might say:
    /// `Handshake.accept` (the server's side) when the first byte is even,
    /// `Handshake.connect` (the client's) when it is odd. The other bytes are a
    /// script of the peer's moves, each chosen by a byte modulo 5:
    ///
    /// - 0: a frame whose payload is the next N bytes (N is the byte after it);
    /// - 1: the genuine next message, made with the secret over what the side
    ///   sent (for the client: first the challenge, then the welcome);
    /// - 2: that message with its proof made with another secret;
    /// - 3: that message answering another nonce (a replayed answer);
    /// - 4: the peer closes the connection (the script ends anyway).
    ///
    /// The server must pass the handshake exactly when the first message was
    /// the genuine answer; the client only when the second was the genuine
    /// welcome, and always when both the challenge and the welcome were
    /// genuine. Neither may trap. Blocks until done (for libFuzzer's thread);
    /// see `playHandshake` for async callers.
    public static func handshake(_ bytes: UnsafeRawBufferPointer) {
        let script = Array(bytes)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await self.playHandshake(script)
            done.signal()
        }
        done.wait()
    }

    /// The `handshake` target, awaited.
    public static func playHandshake(_ script: [UInt8]) async {
        guard let first = script.first else { return }
        let secret = HandshakePeer.secret
        let (inbound, peer) = NIOAsyncChannelInboundStream<ByteBuffer>.makeTestingStream()
        let (outbound, sent) = NIOAsyncChannelOutboundWriter<ByteBuffer>.makeTestingWriter()
        let isServer = first % 2 == 0
        let side = Task {
            var connection = Connection(inbound, outbound, peer: "fuzzer")
            defer { outbound.finish() }
            do {
                if isServer {
                    try await Handshake.accept(&connection, secret: secret)
                } else {
                    try await Handshake.connect(&connection, secret: secret)
                }
                return true
            } catch {
                return false
            }
        }
        var other = HandshakePeer(secret: secret, isServer: isServer, sent: sent.makeAsyncIterator())
        var genuine: [Bool] = []
        var reader = script.dropFirst().makeIterator()
        while let move = reader.next(), move % 5 != 4 {
            let frame: ByteBuffer?
            switch move % 5 {
            case 0: frame = ByteBuffer(bytes: (0..<Int(reader.next() ?? 0)).compactMap { _ in reader.next() })
            case 1: frame = await other.next(.genuine, move: genuine.count)
            case 2: frame = await other.next(.forged, move: genuine.count)
            default: frame = await other.next(.replayed, move: genuine.count)
            }
            genuine.append(move % 5 == 1)
            if let frame { peer.yield(frame) }
        }
        peer.finish()
        let passed = await side.value
        let opened = { (count: Int) in genuine.count >= count && genuine.prefix(count).allSatisfy { $0 } }
        if isServer {
            precondition(passed == opened(1), passed ? "the server let in a peer without the secret" : "the server refused the secret")
        } else {
            precondition(!passed || (genuine.count >= 2 && genuine[1]), "the client took a server without the secret")
            precondition(passed || !opened(2), "the client refused a server with the secret")
        }
    }
}

/// The other end of a fuzzed handshake: makes the messages the script asks
/// for from what the side under test sent, as JSON written here (not by the
/// codec under test).
private struct HandshakePeer {
    enum Kind {
        /// Made with the secret, over the nonces of this handshake.
        case genuine
        /// Made with another secret.
        case forged
        /// Made with the secret, over another nonce.
        case replayed
    }

    /// The secret both ends hold, and one that only this end may use (to forge).
    static let secret = try! Secret(bytes: Array("a secret for fuzzing the handshake".utf8))
    static let otherSecret = try! Secret(bytes: Array("not the secret, though long enough".utf8))

    let secret: Secret
    /// Whether the side under test is the server (so this end is the client).
    let isServer: Bool
    private var sent: NIOAsyncChannelOutboundWriter<ByteBuffer>.TestSink.AsyncIterator
    /// This end's nonce: in its challenge when it plays the server, in its answer when it plays the client.
    private let nonce = String(repeating: "5", count: 64)
    /// The nonce the side under test sent: in its challenge, or in its answer.
    private var learnedNonce: String?

    init(secret: Secret, isServer: Bool, sent: NIOAsyncChannelOutboundWriter<ByteBuffer>.TestSink.AsyncIterator) {
        self.secret = secret
        self.isServer = isServer
        self.sent = sent
    }

    /// The message for `move` (counted from 0): to a server, an answer to its
    /// challenge; to a client, a challenge first (if genuine, else a welcome
    /// too early) and then a welcome. Nil when the side under test ended
    /// before saying what the message needs.
    mutating func next(_ kind: Kind, move: Int) async -> ByteBuffer? {
        let secret = kind == .forged ? Self.otherSecret : self.secret
        let other = String(repeating: "0", count: 64)
        if !self.isServer, move == 0 {
            return kind == .genuine ? self.challenge : self.welcome(secret.proof("server", other, self.nonce))
        }
        guard let theirs = await self.theirNonce() else { return nil }
        let covered = kind == .replayed ? other : theirs
        return self.isServer ? self.answer(secret.proof("client", covered, self.nonce)) : self.welcome(secret.proof("server", covered, self.nonce))
    }

    private var challenge: ByteBuffer {
        Self.frame(1, #"{"version":\#(ProtocolVersion.current),"nonce":"\#(self.nonce)"}"#)
    }

    private func answer(_ proof: String) -> ByteBuffer {
        Self.frame(2, #"{"version":\#(ProtocolVersion.current),"nonce":"\#(self.nonce)","proof":"\#(proof)"}"#)
    }

    private func welcome(_ proof: String) -> ByteBuffer {
        Self.frame(3, #"{"proof":"\#(proof)"}"#)
    }

    /// The nonce of the side's challenge (as the server) or answer (as the client); nil if it ended without one.
    private mutating func theirNonce() async -> String? {
        while self.learnedNonce == nil, let frame = await self.sent.next() {
            switch try? Message(decoding: frame) {
            case .challenge(let challenge) where self.isServer: self.learnedNonce = challenge.nonce
            case .authenticate(let answer) where !self.isServer: self.learnedNonce = answer.nonce
            default: continue
            }
        }
        return self.learnedNonce
    }

    private static func frame(_ type: UInt8, _ json: String) -> ByteBuffer {
        ByteBuffer(bytes: [type] + Array(json.utf8))
    }
}
