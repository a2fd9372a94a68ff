import Foundation
import MapReduce

/// Shows how a job is going: a line redrawn in place on a terminal, or a
/// plain log line every few seconds when standard error is not one.
public final class ProgressLine: Sendable {
    private let isTerminal: Bool
    private let interval: Duration
    /// A line to print once, when the first job begins (where its page is, say).
    private let announcement: Locked<String?>

    /// A progress line that first prints `announcement`, if given, once a job has begun:
    /// a job refused before it begins fails with its one error line alone.
    public init(announcing announcement: String? = nil) {
        self.isTerminal = isatty(STDERR_FILENO) == 1
        self.interval = self.isTerminal ? .milliseconds(250) : .seconds(5)
        self.announcement = Locked(announcement)
    }

    /// Prints the announcement, the first time a job begins.
    func begin() {
        if let line = self.announcement.withLock({ line in defer { line = nil }; return line }) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// Reports `master`'s progress until cancelled.
    func run(_ master: Master) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: self.interval)
            guard !Task.isCancelled else { return }
            self.show(await master.progress())
        }
    }

    func show(_ progress: Master.Progress) {
        let line = Self.text(progress)
        FileHandle.standardError.write(Data((self.isTerminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    /// The progress as one line.
    static func text(_ progress: Master.Progress) -> String {
        let seconds = max(progress.elapsed.seconds, 0.001)
        let megabytes = Double(progress.bytesRead) / 1e6
        return String(
            format: "maps %d/%d, reduces %d/%d, %d workers, %.1f MB read, %.1f MB/s, %.1f s",
            progress.mapsDone, progress.maps, progress.reducesDone, progress.reduces, progress.workers,
            megabytes, megabytes / seconds, seconds)
    }

    /// Ends the line on a terminal, so that what follows starts on a fresh one.
    func finish() {
        if self.isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
