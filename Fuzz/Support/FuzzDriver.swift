// What every libFuzzer target shares: SwiftPM gives an executable its own `main`, so the
// target hands its arguments to libFuzzer's driver (`LLVMFuzzerRunDriver`) with one body.
import Foundation

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Set once before the driver starts, read by its single fuzzing thread only.
nonisolated(unsafe) private var fuzzBody: ([UInt8]) -> Void = { _ in }

/// libFuzzer's entry point for one input (also what its own tools look for).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzBody(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// Runs libFuzzer with the process's arguments over `body` (which must never crash,
/// whatever the bytes), then exits with libFuzzer's status.
public func fuzz(_ body: @escaping ([UInt8]) -> Void) -> Never {
    fuzzBody = body
    var argumentCount = CommandLine.argc
    var arguments = CommandLine.unsafeArgv
    exit(runFuzzerDriver(&argumentCount, &arguments, fuzzOneInput))
}
