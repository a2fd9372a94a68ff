import Foundation
import MapReduce
import MapReduceCluster
import NIOCore
import NIOEmbedded

/// The functions libFuzzer drives (see `scripts/fuzz`) and the regression
/// tests replay: each takes arbitrary bytes, and must neither crash nor
/// accept what it should refuse.
public enum FuzzTargets {
    /// Frames and messages, the handshake's among them: bytes from a peer that has not authenticated.
    public static func frames(_ bytes: UnsafeRawBufferPointer) {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxFrameLength: FrameLimits.unauthenticatedFrameLength)))
        defer { _ = try? channel.finish() }
        guard (try? channel.writeInbound(ByteBuffer(bytes: bytes))) != nil else { return }
        let secret = try! Secret(bytes: Array("a secret for fuzzing the handshake".utf8))
        while let frame = try? channel.readInbound(as: ByteBuffer.self) {
            guard let message = try? Message(decoding: frame) else { continue }
            if case .authenticate(let answer) = message {
                // A forged answer must not pass: nobody can have computed this proof without the secret.
                precondition(answer.proof != secret.proof("client", String(repeating: "0", count: 64), answer.nonce))
            }
            // Whatever decodes must encode and decode to the same message.
            precondition((try? Message(decoding: message.encoded())) == message, "\(message.name) does not round-trip")
        }
    }

    /// A spill or map output file: its index and every record of every partition.
    public static func spillFile(_ bytes: UnsafeRawBufferPointer) {
        let path = "\(NSTemporaryDirectory())/mapreduce-fuzz-\(getpid()).spill"
        defer { unlink(path) }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)),
            let index = try? SpillIndex.read(from: path)
        else { return }
        for partition in index.segments.indices {
            var records: Int64 = 0
            do {
                try index.forEachRecord(in: path, partition: partition) { _, _ in records += 1 }
                precondition(records == index.segments[partition].records, "a segment read whole has its record count")
            } catch {}
        }
    }

    /// The text splitter: for split sizes chosen by the first byte, every line is read exactly once.
    public static func splitter(_ bytes: UnsafeRawBufferPointer) {
        guard let first = bytes.first else { return }
        let content = Array(bytes.dropFirst())
        let path = "\(NSTemporaryDirectory())/mapreduce-fuzz-\(getpid()).txt"
        defer { unlink(path) }
        guard FileManager.default.createFile(atPath: path, contents: Data(content)) else { return }
        let file = InputFile(path: path, size: Int64(content.count))
        var lines: [[UInt8]] = []
        var offsets: [Int64] = []
        for split in TextInput.splits(of: [file], splitSize: Int64(first) + 1) {
            _ = try? TextInput.read(split) { line in
                lines.append(line.bytes.withUnsafeBufferPointer(Array.init))
                offsets.append(line.offset)
            }
        }
        let expected = self.lines(of: content)
        precondition(lines == expected.map(\.bytes), "lines differ with splits of \(Int(first) + 1) bytes")
        precondition(offsets == expected.map(\.offset), "offsets differ with splits of \(Int(first) + 1) bytes")
    }

    /// The lines of `content` by the rule, found the plain way.
    static func lines(of content: [UInt8]) -> [(bytes: [UInt8], offset: Int64)] {
        var lines: [(bytes: [UInt8], offset: Int64)] = []
        var start = 0
        for (i, byte) in content.enumerated() where byte == UInt8(ascii: "\n") {
            lines.append((Array(content[start..<i]), Int64(start)))
            start = i + 1
        }
        if start < content.count { lines.append((Array(content[start...]), Int64(start))) }
        return lines.map { line in (line.bytes.last == UInt8(ascii: "\r") ? Array(line.bytes.dropLast()) : line.bytes, line.offset) }
    }
}
