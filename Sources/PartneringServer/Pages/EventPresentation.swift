import Foundation
import PartneringCore

/// How the event's dates and times read in one language, in the event's time zone.
struct EventPresentation {
    let event: EventDefinition
    let language: Language

    private var locale: Locale { Locale(identifier: language == .fr ? "fr_FR" : "en_GB") }

    func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.timeZone = event.timeZone
        formatter.setLocalizedDateFormatFromTemplate("EEEEdMMMMyyyy")
        return formatter.string(from: date)
    }

    func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.timeZone = event.timeZone
        formatter.dateFormat = "HH:mm"
        return formatter.string(from: date)
    }

    /// The distinct days of the event, in order.
    var days: [String] {
        var seen: [String] = []
        for session in event.sessions {
            let text = day(session.start)
            if !seen.contains(text) { seen.append(text) }
        }
        return seen
    }
}
