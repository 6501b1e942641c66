import Foundation
import PartneringCore
import Synchronization

/// The VTIMEZONE of a zone, built from Foundation's own transitions (tzdata), so that any
/// zone works without a table of rules: one STANDARD or DAYLIGHT block per transition
/// in the years the events fall in, plus the one in force when the first year begins.
enum TimeZoneComponent {
    /// Built blocks by zone and years: every message of an event shares one.
    private static let cache = Mutex<[String: String]>([:])

    static func write(_ zone: TimeZone, covering dates: [Date], into lines: inout ContentLines) {
        let calendar = Calendar.gregorian(in: zone)
        let years = dates.map { calendar.component(.year, from: $0) }
        let key = "\(zone.identifier) \(years.min() ?? 0) \(years.max() ?? 0)"
        if let text = cache.withLock({ $0[key] }) {
            lines.append(raw: text)
            return
        }
        var block = ContentLines()
        build(zone, covering: dates, into: &block)
        let text = block.text
        cache.withLock { $0[key] = text }
        lines.append(raw: text)
    }

    private static func build(_ zone: TimeZone, covering dates: [Date], into lines: inout ContentLines) {
        lines.add("BEGIN", "VTIMEZONE")
        lines.add("TZID", zone.identifier)
        let transitions = Self.transitions(of: zone, covering: dates)
        if transitions.isEmpty {
            // No change of offset: one STANDARD block that holds from the epoch on.
            let offset = utcOffset(zone.secondsFromGMT(for: dates.first ?? Date(timeIntervalSince1970: 0)))
            lines.add("BEGIN", "STANDARD")
            lines.add("DTSTART", "19700101T000000")
            lines.add("TZOFFSETFROM", offset)
            lines.add("TZOFFSETTO", offset)
            lines.add("END", "STANDARD")
        }
        for transition in transitions {
            let before = zone.secondsFromGMT(for: transition.addingTimeInterval(-1))
            let after = zone.secondsFromGMT(for: transition)
            let block = zone.isDaylightSavingTime(for: transition) ? "DAYLIGHT" : "STANDARD"
            lines.add("BEGIN", block)
            // DTSTART is the wall-clock time of the transition in the offset it ends.
            lines.add("DTSTART", LocalTimeFormatter.utc.string(transition.addingTimeInterval(TimeInterval(before))))
            lines.add("TZOFFSETFROM", utcOffset(before))
            lines.add("TZOFFSETTO", utcOffset(after))
            if let name = zone.abbreviation(for: transition), !name.hasPrefix("GMT") {
                lines.add("TZNAME", ContentLines.escapeText(name))
            }
            lines.add("END", block)
        }
        lines.add("END", "VTIMEZONE")
    }

    /// The zone's transitions from the last one before the first year of `dates` to the
    /// end of their last year.
    static func transitions(of zone: TimeZone, covering dates: [Date]) -> [Date] {
        guard let first = dates.min(), let last = dates.max() else { return [] }
        let calendar = Calendar.gregorian(in: zone)
        let firstYear = calendar.component(.year, from: first)
        let lastYear = calendar.component(.year, from: last)
        guard let yearStart = calendar.date(from: DateComponents(year: firstYear, month: 1, day: 1)),
            let searchStart = calendar.date(from: DateComponents(year: firstYear - 1, month: 1, day: 1)),
            let end = calendar.date(from: DateComponents(year: lastYear + 1, month: 1, day: 1))
        else { return [] }
        var found: [Date] = []
        var cursor = searchStart
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end, found.count < 1000 {
            found.append(next)
            cursor = next
        }
        let inForce = found.last { $0 <= yearStart }
        return (inForce.map { [$0] } ?? []) + found.filter { $0 > yearStart }
    }

    /// `+0100`, `-0330`, or `+053328` when the offset has seconds (RFC 5545 section 3.3.14).
    static func utcOffset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let magnitude = abs(seconds)
        let text = sign + String(format: "%02d%02d", magnitude / 3600, magnitude % 3600 / 60)
        return magnitude % 60 == 0 ? text : text + String(format: "%02d", magnitude % 60)
    }
}
