import Foundation
import PartneringCore

/// What the event's home page shows.
struct HomePageModel {
    struct SessionLine {
        let name: String
        let day: String
        let start: String
        let end: String
        let slots: Int
    }

    struct TopicGroupLine {
        let name: String
        let topics: [String]
    }

    struct RoleLine {
        let id: String
        let name: String
    }

    let chrome: PageChrome
    let venueName: String
    let venueAddress: String
    let venueCity: String
    let days: [String]
    let sessions: [SessionLine]
    let slotMinutes: Int
    let tableCount: Int
    let slotCount: Int
    let roles: [RoleLine]
    let topicGroups: [TopicGroupLine]
    let registrationOpens: String
    let registrationCloses: String

    init(event: EventDefinition, language: Language) {
        let presentation = EventPresentation(event: event, language: language)
        let slots = event.slots
        chrome = PageChrome(language: language, csrf: "", event: event)
        venueName = event.venue.name
        venueAddress = event.venue.address
        venueCity = event.venue.city
        days = presentation.days
        sessions = event.sessions.map { session in
            SessionLine(
                name: session.name[language], day: presentation.day(session.start),
                start: presentation.time(session.start), end: presentation.time(session.end),
                slots: slots.filter { $0.session == session.id }.count)
        }
        slotMinutes = event.slotMinutes
        tableCount = event.tables.count
        slotCount = slots.count
        roles = event.roles.map { RoleLine(id: $0.role.rawValue, name: $0.name[language]) }
        topicGroups = event.topics.map { group in
            TopicGroupLine(name: group.name[language], topics: group.topics.map { $0.name[language] })
        }
        registrationOpens = presentation.day(event.registrationWindow.start)
        registrationCloses = presentation.day(event.registrationWindow.end)
    }
}
