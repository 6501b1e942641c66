import Foundation

/// Dates and times as people at the event read them: in the event's time zone,
/// the 24-hour clock in both languages (the events are European), day names from
/// Foundation's format styles (ICU data shipped with the toolchain, so the same
/// text on every machine). Every page, e-mail, grid and list writes its dates here.
public struct EventDateText: Sendable {
    /// The zone every date is shown in.
    public let timeZone: TimeZone
    private let calendar: Calendar
    private let clock: Date.VerbatimFormatStyle
    private let stampMinutes: Date.VerbatimFormatStyle
    private let stampSeconds: Date.VerbatimFormatStyle
    private let isoDayStyle: Date.VerbatimFormatStyle

    /// Dates shown in `timeZone`, the event's zone.
    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        let calendar = Calendar.gregorian(in: timeZone)
        self.calendar = calendar
        let hour = Date.FormatStyle.Symbol.VerbatimHour.twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)
        clock = Date.VerbatimFormatStyle(
            format: "\(hour: hour):\(minute: .twoDigits)", timeZone: timeZone, calendar: calendar)
        stampMinutes = Date.VerbatimFormatStyle(
            format: "\(year: .padded(4))-\(month: .twoDigits)-\(day: .twoDigits) \(hour: hour):\(minute: .twoDigits)",
            timeZone: timeZone, calendar: calendar)
        isoDayStyle = Date.VerbatimFormatStyle(
            format: "\(year: .padded(4))-\(month: .twoDigits)-\(day: .twoDigits)", timeZone: timeZone,
            calendar: calendar)
        stampSeconds = Date.VerbatimFormatStyle(
            format:
                "\(year: .padded(4))-\(month: .twoDigits)-\(day: .twoDigits) \(hour: hour):\(minute: .twoDigits):\(second: .twoDigits)",
            timeZone: timeZone, calendar: calendar)
    }

    /// `jeudi 15 octobre 2026`, `Thursday, 15 October 2026`; French writes the first of the
    /// month `1er` (`jeudi 1er octobre 2026`).
    public func day(_ date: Date, in language: Language) -> String {
        firstOfMonth(date.formatted(dayStyle(language)), date, language)
    }

    /// `09:00`.
    public func time(_ date: Date) -> String {
        date.formatted(clock)
    }

    /// `jeudi 15 octobre 2026 à 09:00`, `Thursday, 15 October 2026 at 09:00`.
    public func dayAndTime(_ date: Date, in language: Language) -> String {
        firstOfMonth(
            date.formatted(dayStyle(language).hour(.twoDigits(amPM: .omitted)).minute(.twoDigits)), date, language)
    }

    /// `2026-10-15`: the day in the event's zone, sortable, as a key or a machine-read date.
    public func isoDay(_ date: Date) -> String {
        date.formatted(isoDayStyle)
    }

    /// `2026-10-15 09:00` (with `seconds`, `2026-10-15 09:00:00`): sortable, for lists.
    public func stamp(_ date: Date, seconds: Bool = false) -> String {
        date.formatted(seconds ? stampSeconds : stampMinutes)
    }

    /// ICU writes `1 octobre`; French typography wants the ordinal `1er`.
    private func firstOfMonth(_ text: String, _ date: Date, _ language: Language) -> String {
        guard language == .fr, calendar.component(.day, from: date) == 1,
            let range = text.range(of: " 1 ")
        else { return text }
        return text.replacingCharacters(in: range, with: " 1er ")
    }

    private func dayStyle(_ language: Language) -> Date.FormatStyle {
        Date.FormatStyle(
            date: .omitted, time: .omitted, locale: language.locale, calendar: calendar, timeZone: timeZone
        ).weekday(.wide).day().month(.wide).year()
    }
}

extension Language {
    /// The locale of dates and numbers in this language (France, Britain).
    public var locale: Locale { Locale(identifier: self == .fr ? "fr_FR" : "en_GB") }
}
