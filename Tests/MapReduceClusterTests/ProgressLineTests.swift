import Testing

@testable import MapReduceCluster

@Suite struct ProgressLineTests {
    @Test func theLineSaysWhatIsDoneHowFastAndForHowLong() {
        let progress = Master.Progress(
            mapsDone: 3, maps: 8, reducesDone: 0, reduces: 2, workers: 4, bytesRead: 150_000_000, elapsed: .seconds(2))
        #expect(ProgressLine.text(progress) == "maps 3/8, reduces 0/2, 4 workers, 150.0 MB read, 75.0 MB/s, 2.0 s")
    }
}
