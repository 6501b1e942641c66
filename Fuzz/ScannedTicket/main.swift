// libFuzzer target: the text a scanner types at the desk, then the ticket token in it.
// Built only with PARTNERING_FUZZ=1 and `-sanitize=fuzzer` (docs/fuzzing.md). SwiftPM gives
// an executable its own `main`, so this one hands the arguments to libFuzzer's driver.
import CheckIn
import Foundation
import Tickets

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// One input: never a crash, whatever the bytes.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let scanned = ScannedText(String(decoding: bytes, as: UTF8.self))
    _ = try? TicketToken(text: scanned.text)
    _ = try? TicketToken(bytes: bytes)
    return 0
}

var argumentCount = CommandLine.argc
var arguments = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argumentCount, &arguments, fuzzOneInput))
