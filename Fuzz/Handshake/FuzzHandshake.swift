import FuzzTargets

/// libFuzzer's callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    FuzzTargets.handshake(UnsafeRawBufferPointer(start: start, count: count))
    return 0
}

@main enum Main {
    static func main() throws {
        try FuzzReplay.main(fuzzer: fuzz) { FuzzTargets.handshake($0) }
    }
}
