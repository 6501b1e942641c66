// libFuzzer target: an event definition (YAML) as `serve` and every command read it:
// parsed, then checked. Refusals (with the line and field) are fine; a crash or trap is not.
// Built only with PARTNERING_FUZZ=1 and `-sanitize=fuzzer` (docs/fuzzing.md).
import FuzzSupport
import PartneringConfig

fuzz { bytes in
    _ = try? EventDefinitionLoader.parse(yaml: String(decoding: bytes, as: UTF8.self), source: "fuzz.yaml")
}
