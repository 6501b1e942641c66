import Foundation
import PartneringCore

/// How the event's dates and times read in one language, in the event's time zone.
struct EventPresentation {
    let event: EventDefinition
    let language: Language
    private let dates: EventDateText

    init(event: EventDefinition, language: Language) {
        self.event = event
        self.language = language
        self.dates = EventDateText(timeZone: event.timeZone)
    }

    func day(_ date: Date) -> String { dates.day(date, in: language) }

    func time(_ date: Date) -> String { dates.time(date) }

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
