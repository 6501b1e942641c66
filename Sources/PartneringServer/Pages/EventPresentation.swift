import Foundation
import Mail
import PartneringCore

/// How the event's dates and times read in one language, in the event's time zone.
struct EventPresentation {
    let event: EventDefinition
    let language: Language

    /// `jeudi 1er octobre 2026`, `Thursday 1 October 2026` (the Mail part's date text,
    /// so that pages and e-mails write dates alike).
    func day(_ date: Date) -> String {
        DateText(timeZone: event.timeZone).day(date, language)
    }

    /// `09:00`, in the event's zone.
    func time(_ date: Date) -> String {
        DateText(timeZone: event.timeZone).time(date)
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
