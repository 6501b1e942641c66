// libFuzzer target: a scheduling problem document (JSON) as `partnering schedule` reads it:
// decoded, then compiled into the solver's model. Refusals are fine; a crash or trap is not.
// Built only with PARTNERING_FUZZ=1 and `-sanitize=fuzzer` (docs/fuzzing.md).
import Foundation
import FuzzSupport
import Scheduling

fuzz { bytes in
    let data = Data(bytes)
    if let document = try? ProblemDocument.decode(from: data) {
        _ = try? SchedulingModel.compile(document)
    }
    _ = try? ScheduleDocument.decode(from: data)
}
