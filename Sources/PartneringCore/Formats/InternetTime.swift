import Foundation

/// ISO 8601 moments as the product reads and writes them in files, forms and
/// command lines (RFC 3339: `2026-11-13T09:00:00+01:00`, `2026-11-13T08:00:00Z`).
/// One place decides which spellings are accepted, so that a time valid in an
/// event file is valid in a problem file and on the command line too.
public enum InternetTime {
    /// The moment `text` names: a date and time with a zone offset or `Z`, with or
    /// without fractional seconds. `nil` for anything else, a date alone included.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: plain) { return date }
        return try? Date(text, strategy: fractional)
    }

    /// Like ``parse(_:)``, and a date alone (`2026-03-12`) also counts, as midnight UTC.
    public static func parseDateOrMoment(_ text: String) -> Date? {
        if let date = parse(text) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
    }

    /// `2026-11-13T09:00:00+01:00` in `timeZone` (`...Z` in UTC, the default), whole seconds
    /// unless `milliseconds` (`2026-11-13T08:00:00.125Z`, as in log lines).
    public static func string(_ date: Date, in timeZone: TimeZone = .gmt, milliseconds: Bool = false) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(
                dateSeparator: .dash, dateTimeSeparator: .standard, timeSeparator: .colon,
                timeZoneSeparator: .colon, includingFractionalSeconds: milliseconds, timeZone: timeZone))
    }

    private static let plain = Date.ISO8601FormatStyle(includingFractionalSeconds: false)
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
