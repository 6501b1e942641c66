import Foundation
import Registration

/// Numbers taken from a query string or a form, checked before any arithmetic sees them:
/// a value that is not a number, not finite or outside its range is refused with a field
/// error (422, `validation_failed`), never clamped silently and never able to trap.
enum NumberField {
    /// The whole number in `text`, `fallback` when it is absent or blank.
    ///
    /// - Throws: `Refusal.invalidInput` with `not_a_number` or `out_of_range` for `field`.
    static func wholeNumber(_ text: String?, field: String, range: ClosedRange<Int>, fallback: Int) throws -> Int {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return fallback }
        // An optional minus and ASCII digits only; a number too long for `Int` (where `Int.init`
        // returns nil) is out of range, not "not a number".
        let digits = trimmed.hasPrefix("-") ? trimmed.dropFirst() : Substring(trimmed)
        guard !digits.isEmpty, digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw Refusal.invalidInput([FieldIssue(field, .notANumber)])
        }
        guard let number = Int(trimmed), range.contains(number) else {
            throw Refusal.invalidInput([FieldIssue(field, .outOfRange(min: range.lowerBound, max: range.upperBound))])
        }
        return number
    }

    /// The decimal number in `text` (seconds, for instance), `fallback` when absent or blank;
    /// `nan` and `inf`, which `Double.init` accepts, are refused like any other non-number.
    ///
    /// - Throws: `Refusal.invalidInput` with `not_a_number` or `out_of_range` for `field`.
    static func decimal(_ text: String?, field: String, range: ClosedRange<Int>, fallback: Double) throws -> Double {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return fallback }
        guard let number = Double(trimmed), number.isFinite else {
            throw Refusal.invalidInput([FieldIssue(field, .notANumber)])
        }
        guard number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            throw Refusal.invalidInput([FieldIssue(field, .outOfRange(min: range.lowerBound, max: range.upperBound))])
        }
        return number
    }
}
