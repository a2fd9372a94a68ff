/// The end-of-segment checks of a segment read by a cursor per sorted run:
/// once every run has ended, the CRC-32 of all their stored bytes (combined
/// in run order), their raw length and their record count against the
/// segment's index entry.
final class SegmentCheck {
    private let segment: Segment
    private let name: String
    /// Each ended run's CRC-32 and stored length, by run.
    private var ended: [(crc: UInt32, storedLength: Int64)?]
    private var rawSeen: Int64 = 0
    private var recordsSeen: Int64 = 0

    /// Checks for `segment`, read as `runs` runs; `name` identifies it in errors.
    init(_ segment: Segment, runs: Int, name: String) {
        self.segment = segment
        self.name = name
        self.ended = Array(repeating: nil, count: runs)
    }

    /// Records the end of run `run`; once it is the last to end, checks the
    /// whole segment and throws if it is not what its index entry says.
    func runEnded(_ run: Int, crc: UInt32, storedLength: Int64, rawLength: Int64, records: Int64) throws {
        guard self.ended[run] == nil else { return }
        self.ended[run] = (crc, storedLength)
        self.rawSeen += rawLength
        self.recordsSeen += records
        guard !self.ended.contains(where: { $0 == nil }) else { return }
        let crc = self.ended.dropFirst().reduce(self.ended[0]!.crc) { crc, next in
            CRC32.combine(crc, next!.crc, secondLength: next!.storedLength)
        }
        guard crc == self.segment.crc32 else {
            throw SpillFormatError(.checksumMismatch, "\(self.name): crc32 \(crc), index says \(self.segment.crc32)")
        }
        guard self.rawSeen == self.segment.rawLength, self.recordsSeen == self.segment.records else {
            throw SpillFormatError(
                .corrupt,
                "\(self.name): \(self.recordsSeen) records in \(self.rawSeen) bytes, index says \(self.segment.records) in \(self.segment.rawLength)")
        }
    }
}
