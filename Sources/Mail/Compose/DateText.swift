import Foundation
import PartneringCore

/// Dates and times written out for people, in French or English. Written here rather than
/// through ICU so that messages and pages read the same on every machine (and French
/// writes the first of the month "1er").
public struct DateText {
    private static let weekdays: [Language: [String]] = [
        .fr: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
        .en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    ]
    private static let months: [Language: [String]] = [
        .fr: [
            "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
            "novembre", "décembre",
        ],
        .en: [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ],
    ]
    private let calendar: Calendar

    public init(timeZone: TimeZone) {
        self.calendar = .gregorian(in: timeZone)
    }

    /// `jeudi 15 octobre 2026`, `Thursday 15 October 2026`.
    public func day(_ date: Date, _ language: Language) -> String {
        let parts = calendar.dateComponents([.weekday, .day, .month, .year], from: date)
        let weekday = Self.weekdays[language]?[(parts.weekday ?? 1) - 1] ?? ""
        let month = Self.months[language]?[(parts.month ?? 1) - 1] ?? ""
        let day = language == .fr && parts.day == 1 ? "1er" : String(parts.day ?? 1)
        return "\(weekday) \(day) \(month) \(parts.year ?? 0)"
    }

    /// `09:00`, in the 24-hour clock for both languages (the events are European).
    public func time(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}
