import Foundation
import PartneringCore
import Registration

/// A participant as the personal area shows them to others.
struct PersonLine {
    let id: String
    let name: String
    let organisation: String
    let jobTitle: String
    let country: String
    let roleName: String
    let topics: [String]
    let profile: String
    /// An open or answered request between the viewer and this person, if any.
    var requestID = ""
    var isRequested = false
    /// They meet in the published schedule.
    var isMet = false
    /// Topics both chose (suggestions).
    var sharedTopics: [String] = []

    init(_ participant: Participant, event: EventDefinition, language: Language) {
        id = participant.id.rawValue
        name = participant.name
        organisation = participant.organisation
        jobTitle = participant.jobTitle
        country =
            Locale(identifier: language.rawValue).localizedString(forRegionCode: participant.country)
            ?? participant.country
        roleName = event.role(participant.role)?.name[language] ?? participant.role.rawValue
        let names = Dictionary(
            event.allTopics.map { ($0.id, $0.name[language]) }, uniquingKeysWith: { first, _ in first })
        topics = participant.topics.compactMap { names[$0] }
        profile = participant.profile
    }
}

/// A count with the plural form its language needs: French puts 0 and 1 in the
/// singular ("0 demande", "1 demande"), English only 1. Templates choose the words.
struct CountText {
    let count: Int
    let isOne: Bool

    init(_ count: Int, language: Language) {
        self.count = count
        isOne = language == .fr ? count <= 1 : count == 1
    }
}

/// The personal area's home: what matters now (requests before the schedule is out, the
/// programme after), the ticket, the calendar, then the attendee's data.
struct MePageModel {
    let chrome: PageChrome
    let name: String
    let email: String
    let number: Int
    let categoryName: String
    let isConfirmed: Bool
    let isPending: Bool
    let isWaitlisted: Bool
    let isCancelled: Bool
    let isRejected: Bool
    let waitlistPosition: Int
    let incomingPending: CountText
    let openRequests: CountText
    let requestLimit: Int
    let requests: [RequestLine]
    let hasRequests: Bool
    let isPublished: Bool
    let eventDay: String
    let programme: ProgrammeModel?
    let ticket: TicketModel?
    let calendar: CalendarModel?
    let canCancel: Bool
    let hasNotice: Bool
    let notice: String
}

/// The attendee's meetings of the published schedule, day by day.
struct ProgrammeModel {
    struct Day {
        let day: String
        let meetings: [Line]
    }

    struct Line {
        let uid: String
        let start: String
        let end: String
        let table: String
        let personID: String
        let personName: String
        let organisation: String
        let jobTitle: String
        let isNew: Bool
        let isMoved: Bool
        let movedFromDay: String
        let movedFromStart: String
        let movedFromTable: String
        /// The meeting's slot has ended: its feedback form is open.
        let isOver: Bool
    }

    struct Cancelled {
        let day: String
        let start: String
        let table: String
        let personName: String
        let organisation: String
    }

    let version: Int
    let publishedDay: String
    let publishedTime: String
    let count: CountText
    let days: [Day]
    let hasMeetings: Bool
    let cancelled: [Cancelled]
    let hasCancelled: Bool
    let hasChanges: Bool
    /// Some meetings have ended: the page invites feedback on them.
    let hasPastMeetings: Bool

    /// - Parameter now: the service's clock, which tells the meetings that have ended
    ///   (`nil`: none is marked).
    init(_ programme: AttendeeProgramme, event: EventDefinition, language: Language, now: Date? = nil) {
        let dates = EventPresentation(event: event, language: language)
        version = programme.version.version
        publishedDay = programme.version.publishedAt.map(dates.day) ?? ""
        publishedTime = programme.version.publishedAt.map(dates.time) ?? ""
        count = CountText(programme.entries.count, language: language)
        var days: [Day] = []
        for entry in programme.entries {
            let meeting = entry.meeting
            var line = Line(
                uid: meeting.uid, start: dates.time(meeting.start), end: dates.time(meeting.end),
                table: meeting.table, personID: entry.counterpart.id.rawValue, personName: entry.counterpart.name,
                organisation: entry.counterpart.organisation, jobTitle: entry.counterpart.jobTitle,
                isNew: entry.change == .added, isMoved: false, movedFromDay: "", movedFromStart: "",
                movedFromTable: "", isOver: now.map { meeting.end <= $0 } ?? false)
            if case .moved(let old) = entry.change {
                line = Line(
                    uid: line.uid, start: line.start, end: line.end, table: line.table, personID: line.personID,
                    personName: line.personName, organisation: line.organisation, jobTitle: line.jobTitle,
                    isNew: false, isMoved: true,
                    movedFromDay: dates.day(old.start) == dates.day(meeting.start) ? "" : dates.day(old.start),
                    movedFromStart: dates.time(old.start), movedFromTable: old.table, isOver: line.isOver)
            }
            let day = dates.day(meeting.start)
            if days.last?.day == day {
                days[days.count - 1] = Day(day: day, meetings: days[days.count - 1].meetings + [line])
            } else {
                days.append(Day(day: day, meetings: [line]))
            }
        }
        self.days = days
        hasMeetings = !programme.entries.isEmpty
        cancelled = programme.cancelled.map {
            Cancelled(
                day: dates.day($0.start), start: dates.time($0.start), table: $0.table,
                personName: $0.counterpart.name, organisation: $0.counterpart.organisation)
        }
        hasCancelled = !programme.cancelled.isEmpty
        hasChanges = hasCancelled || programme.entries.contains { $0.change != .unchanged }
        hasPastMeetings = now.map { now in programme.entries.contains { $0.meeting.end <= now } } ?? false
    }
}

/// The ticket as the personal area shows it: its QR code and a short code to read out.
struct TicketModel {
    let qrPath: String
    let code: String
    let number: String

    /// `042 · 7F3A-9C21`: the badge number and the start of the ticket id, for a desk
    /// that cannot scan (a damaged screen, no camera).
    init(ticket: IssuedTicketText, number: Int) {
        let digits = String(number)
        self.number = String(repeating: "0", count: max(0, 3 - digits.count)) + digits
        let id = ticket.ticketID.uppercased()
        code = "\(id.prefix(4))-\(id.dropFirst(4).prefix(4))"
        qrPath = "/me/ticket/qr.png"
    }
}

/// The calendar links: a download, and the private subscription when there is one.
struct CalendarModel {
    let downloadPath: String
    let hasSubscription: Bool
    let subscriptionURL: String
    let webcalURL: String

    init(subscriptionPath: String?, baseURL: URL) {
        downloadPath = "/me/calendar.ics"
        hasSubscription = subscriptionPath != nil
        let base =
            baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
        subscriptionURL = subscriptionPath.map { base + $0 } ?? ""
        webcalURL =
            subscriptionPath.map { path in
                "webcal://" + (base.split(separator: "://", maxSplits: 1).last.map(String.init) ?? base) + path
            } ?? ""
    }
}

/// The printable ticket.
struct TicketPageModel {
    let chrome: PageChrome
    let name: String
    let organisation: String
    let categoryName: String
    let eventDay: String
    let venue: String
    let ticket: TicketModel
    let token: String
}

/// A participant's profile page, as another attendee sees it.
struct PersonPageModel {
    let chrome: PageChrome
    let person: PersonLine
    let canRequest: Bool
    let request: RequestLine?
    let meetings: [ProgrammeModel.Line]
    let hasMeetings: Bool
}

/// One request on its own page, with its answers.
struct RequestPageModel {
    let chrome: PageChrome
    let request: RequestLine
    let isIncoming: Bool
    let hasPerson: Bool
    let notice: String
    let hasNotice: Bool
}

/// The profile form of the personal area.
struct ProfilePageModel {
    let chrome: PageChrome
    let form: ParticipantFormModel
    let saved: Bool
}

/// The directory with its search form.
struct DirectoryPageModel {
    let chrome: PageChrome
    let text: String
    let topics: [Option]
    let countries: [Option]
    let people: [PersonLine]
    let suggestions: [PersonLine]
    let hasSuggestions: Bool
    let total: CountText
    let pager: ListPager
    let canRequest: Bool
}

/// The form to ask someone for a meeting.
struct RequestFormPageModel {
    let chrome: PageChrome
    let person: PersonLine
    let priorities: [Option]
    let message: String
    let errors: [String: [String]]
    let messageLimit: Int
}

/// One request line in the personal area; the status as flags, so that templates say it
/// in words.
struct RequestLine {
    let id: String
    let personID: String
    let hasPerson: Bool
    let person: String
    let organisation: String
    let priority: Int
    let message: String
    let status: String
    let isIncoming: Bool
    let isPending: Bool
    let isAccepted: Bool
    let isDeclined: Bool
    let isWithdrawn: Bool
    let isOpen: Bool
    let canAnswer: Bool
    let canWithdraw: Bool
    let sentDay: String
}

/// Incoming and outgoing requests.
struct RequestsPageModel {
    let chrome: PageChrome
    let incoming: [RequestLine]
    let outgoing: [RequestLine]
    let openCount: CountText
    let limit: Int
    let acceptanceRequired: Bool
    let notice: String
    let hasNotice: Bool
}

/// A question before an irreversible action (cancel, erase).
struct ConfirmPageModel {
    let chrome: PageChrome
    let action: String
    let isCancel: Bool
    let isErase: Bool
}

extension RequestLine {
    init(_ view: RequestView, viewer: ParticipantID, event: EventDefinition, language: Language) {
        id = view.request.id.rawValue
        personID = view.counterpart?.id.rawValue ?? ""
        hasPerson = view.counterpart != nil
        person = view.counterpart?.name ?? ""
        organisation = view.counterpart?.organisation ?? ""
        priority = view.request.priority.rawValue
        message = view.request.message
        status = view.request.status.rawValue
        isIncoming = view.request.to == viewer
        isPending = view.request.status == .pending
        isAccepted = view.request.status == .accepted
        isDeclined = view.request.status == .declined
        isWithdrawn = view.request.status == .withdrawn
        isOpen = view.request.status.isOpen
        canAnswer = isIncoming && isPending
        canWithdraw = !isIncoming && isOpen
        sentDay = EventPresentation(event: event, language: language).day(view.request.createdAt)
    }
}

/// The event's slots by day, each ticked when the participant cannot meet in it: the form
/// of `/me/availability` and of the organisers' registration page.
struct AvailabilityDay {
    struct Line {
        let id: String
        let start: String
        let end: String
        let sessionName: String
        let unavailable: Bool
    }

    let day: String
    let slots: [Line]

    static func days(event: EventDefinition, unavailable: [SlotID], language: Language) -> [AvailabilityDay] {
        let presentation = EventPresentation(event: event, language: language)
        let marked = Set(unavailable)
        var days: [AvailabilityDay] = []
        for slot in event.slots {
            let day = presentation.day(slot.start)
            let line = Line(
                id: slot.id.rawValue, start: presentation.time(slot.start), end: presentation.time(slot.end),
                sessionName: event.sessions.first { $0.id == slot.session }?.name[language] ?? slot.session,
                unavailable: marked.contains(slot.id))
            if days.last?.day == day {
                days[days.count - 1] = AvailabilityDay(day: day, slots: days[days.count - 1].slots + [line])
            } else {
                days.append(AvailabilityDay(day: day, slots: [line]))
            }
        }
        return days
    }
}

/// `/me/availability`: the slots the attendee marks as not available.
struct AvailabilityPageModel {
    let chrome: PageChrome
    let days: [AvailabilityDay]
    let saved: Bool
}
