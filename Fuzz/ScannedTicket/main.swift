// libFuzzer target: the text a scanner types at the desk, then the ticket token in it.
// Built only with PARTNERING_FUZZ=1 and `-sanitize=fuzzer` (docs/fuzzing.md).
import CheckIn
import FuzzSupport
import Tickets

fuzz { bytes in
    let scanned = ScannedText(String(decoding: bytes, as: UTF8.self))
    _ = try? TicketToken(text: scanned.text)
    _ = try? TicketToken(bytes: bytes)
}
