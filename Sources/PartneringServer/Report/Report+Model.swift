import Foundation
import PartneringCore
import Registration

extension ServerEnvironment {
    /// The event report of the store now (the service's clock).
    func eventReport() async throws -> EventReport {
        try await EventReport.load(
            event: event, participants: store.participants, checkIns: store.checkIns, requests: store.requests,
            schedules: store.schedules, feedback: store.meetingFeedback,
            at: registration.attendees.dependencies.now())
    }
}

/// The organisers' report page (printable): the report's figures, tables and charts.
struct ReportPageModel {
    struct Line {
        let name: String
        let key: String
        let registered: Int
        let confirmed: Int
        let checkedIn: Int
    }

    /// What became of one group's meetings, with the group's name in the page's language.
    struct OutcomeLine {
        let name: String
        let key: String
        let scheduled: Int
        let held: Int
        let noShows: Int
        let ratings: Int
        let averageUsefulness: String
        let followUps: Int
    }

    let chrome: PageChrome
    let generated: String
    let total: Line
    let byRole: [Line]
    let byCategory: [Line]
    let byCountry: [Line]
    let arrivals: BarChart
    let meetings: EventReport.Meetings
    let outcomes: BarChart
    let usefulness: BarChart
    let ratingCount: Int
    let averageUsefulness: String
    let hasRatings: Bool
    let followUps: BarChart
    let responses: EventReport.Responses
    let meetingsByRole: [OutcomeLine]
    let meetingsByCategory: [OutcomeLine]
    let meetingsByOrganisation: [OutcomeLine]
    let meetingsByTopic: [OutcomeLine]

    init(chrome: PageChrome, report: EventReport, event: EventDefinition, language: Language) {
        self.chrome = chrome
        generated = EventDateText(timeZone: event.timeZone).stamp(report.generatedAt)
        let countries = Dictionary(
            Countries.list(languageCode: language.rawValue).map { ($0.code, $0.name) },
            uniquingKeysWith: { first, _ in first })
        func line(_ line: EventReport.Registrations, name: String) -> Line {
            Line(
                name: name, key: line.key, registered: line.registered, confirmed: line.confirmed,
                checkedIn: line.checkedIn)
        }
        total = line(report.total, name: "")
        byRole = report.byRole.map { entry in
            line(entry, name: event.roles.first { $0.role.rawValue == entry.key }?.name[language] ?? entry.key)
        }
        byCategory = report.byCategory.map { entry in
            line(entry, name: event.categories.first { $0.id.rawValue == entry.key }?.name[language] ?? entry.key)
        }
        byCountry = report.byCountry.map { line($0, name: countries[$0.key] ?? $0.key) }
        arrivals = BarChart(byCategory.map { ($0.name, $0.checkedIn, "/ \($0.confirmed)") })
        meetings = report.meetings
        let words = ReportWords(language: language)
        outcomes = BarChart(
            [
                (words.held, report.meetings.held, ""), (words.noShows, report.meetings.noShows, ""),
                (words.cancelled, report.meetings.cancelled, ""), (words.unconfirmed, report.meetings.unconfirmed, ""),
            ], maximum: report.meetings.scheduled)
        usefulness = BarChart(
            report.usefulness.enumerated().map {
                (String($0.offset + MeetingFeedback.usefulnessScale.lowerBound), $0.element, "")
            })
        ratingCount = report.usefulness.reduce(0, +)
        averageUsefulness = report.averageUsefulness.map { words.decimal($0) } ?? ""
        hasRatings = report.averageUsefulness != nil
        followUps = BarChart(report.followUps.map { (words.followUp($0.plan), $0.count, "") })
        responses = report.responses
        func outcomeLines(_ lines: [EventReport.MeetingOutcomes], name: (String) -> String?) -> [OutcomeLine] {
            lines.map { line in
                OutcomeLine(
                    name: name(line.key) ?? line.key, key: line.key, scheduled: line.scheduled, held: line.held,
                    noShows: line.noShows, ratings: line.ratings,
                    averageUsefulness: line.averageUsefulness.map { words.decimal($0) } ?? "–",
                    followUps: line.followUps)
            }
        }
        meetingsByRole = outcomeLines(report.meetingsByRole) { key in
            event.roles.first { $0.role.rawValue == key }?.name[language]
        }
        meetingsByCategory = outcomeLines(report.meetingsByCategory) { key in
            event.categories.first { $0.id.rawValue == key }?.name[language]
        }
        meetingsByOrganisation = outcomeLines(report.meetingsByOrganisation) { _ in nil }
        let topicNames = Dictionary(
            event.topics.flatMap(\.topics).map { ($0.id.rawValue, $0.name[language]) },
            uniquingKeysWith: { first, _ in first })
        meetingsByTopic = outcomeLines(report.meetingsByTopic) { topicNames[$0] }
    }
}

/// The words of the report's charts (bar labels are drawn inside the SVG), in one language.
struct ReportWords {
    let language: Language

    var held: String { LocalizedText(fr: "Tenus", en: "Held")[language] }
    var noShows: String { LocalizedText(fr: "Absences", en: "No-shows")[language] }
    var cancelled: String { LocalizedText(fr: "Annulés", en: "Cancelled")[language] }
    var unconfirmed: String { LocalizedText(fr: "Non confirmés", en: "Unconfirmed")[language] }

    func followUp(_ plan: MeetingFeedback.FollowUpPlan) -> String {
        let text: LocalizedText =
            switch plan {
            case .none: LocalizedText(fr: "Aucune", en: "None")
            case .call: LocalizedText(fr: "Appel ou rendez-vous", en: "Call or meeting")
            case .nda: LocalizedText(fr: "Accord de confidentialité", en: "NDA")
            case .materialTransfer: LocalizedText(fr: "Transfert de matériel", en: "Material transfer")
            case .collaboration: LocalizedText(fr: "Collaboration", en: "Collaboration")
            case .other: LocalizedText(fr: "Autre", en: "Other")
            }
        return text[language]
    }

    /// `3,8` in French, `3.8` in English.
    func decimal(_ value: Double) -> String {
        let text = String(format: "%.1f", value)
        return language == .fr ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}
