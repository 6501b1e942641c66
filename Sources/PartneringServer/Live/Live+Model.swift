import CheckIn
import Foundation
import PartneringCore
import Registration
import Scheduling

/// What changes when the live page must be fetched again: arrivals, absences and the
/// published version (the small JSON the page polls).
struct LiveStamp: Encodable {
    let stamp: String
    let arrived: Int
    let expected: Int
    let missing: Int
    let absent: Int

    init(_ status: LiveDayStatus) {
        arrived = status.arrived
        expected = status.expected
        missing = status.missing.count
        absent = status.absent.count
        // Every scan, mark and publication changes one of these; the first slot to come
        // changes the lists as the clock moves.
        stamp = [
            String(status.publishedVersion ?? 0), String(arrived), String(missing), String(absent),
            String(status.lateArrivals.count), status.nextSlots.first?.slot.rawValue ?? "-",
        ].joined(separator: ":")
    }
}

/// The organisers' live page.
struct LivePageModel {
    struct Count {
        let name: String
        let arrived: Int
        let expected: Int
    }

    struct Person {
        let id: String
        let number: Int
        let name: String
        let organisation: String
        let role: String
        /// The local time of their first meeting, `09:25`, or empty.
        let firstMeeting: String
        let arrivedAt: String
        let isLate: Bool
    }

    struct Meeting {
        let table: String
        let people: String
        let missing: String
    }

    struct Slot {
        let time: String
        let meetings: [Meeting]
        let hasMeetings: Bool
    }

    let chrome: PageChrome
    let clock: String
    let stamp: String
    let refreshSeconds: Int
    let atRiskMinutes: Int
    let arrived: Int
    let expected: Int
    let roles: [Count]
    let categories: [Count]
    let missing: [Person]
    let hasMissing: Bool
    let lateArrivals: [Person]
    let hasLateArrivals: Bool
    let absent: [Person]
    let hasAbsent: Bool
    let slots: [Slot]
    let hasPublished: Bool
    let notice: String
    let hasNotice: Bool
    let noticeVersion: String
    let noticeTold: String
    let error: String?

    init(
        status: LiveDayStatus, session: WebSession, event: EventDefinition, notice: String, noticeVersion: String,
        noticeTold: String, error: String?
    ) {
        let dates = EventDateText(timeZone: event.timeZone)
        let language = session.language
        func person(_ person: LiveDayStatus.Person) -> Person {
            Person(
                id: person.id.rawValue, number: person.number, name: person.name, organisation: person.organisation,
                role: event.role(person.role)?.name[language] ?? person.role.rawValue,
                firstMeeting: person.firstMeeting.map(dates.time) ?? "",
                arrivedAt: person.arrivedAt.map(dates.time) ?? "",
                isLate: (person.firstMeeting ?? .distantFuture) <= status.now)
        }
        chrome = PageChrome(session: session, event: event)
        clock = dates.time(status.now)
        stamp = LiveStamp(status).stamp
        refreshSeconds = 3
        atRiskMinutes = status.atRiskMinutes
        arrived = status.arrived
        expected = status.expected
        roles = status.roles.map { Count(name: $0.name[language], arrived: $0.arrived, expected: $0.expected) }
        categories = status.categories.map {
            Count(name: $0.name[language], arrived: $0.arrived, expected: $0.expected)
        }
        missing = status.missing.map(person)
        hasMissing = !missing.isEmpty
        lateArrivals = status.lateArrivals.map(person)
        hasLateArrivals = !lateArrivals.isEmpty
        absent = status.absent.map(person)
        hasAbsent = !absent.isEmpty
        slots = status.nextSlots.map { slot in
            let meetings = slot.meetings.map { meeting in
                Meeting(
                    table: meeting.table,
                    people: meeting.participants.map { "\($0.name) (\($0.organisation))" }.joined(separator: " — "),
                    missing: meeting.participants.filter { meeting.missing.contains($0.id) }.map(\.name)
                        .joined(separator: ", "))
            }
            return Slot(time: dates.time(slot.start), meetings: meetings, hasMeetings: !meetings.isEmpty)
        }
        hasPublished = status.publishedVersion != nil
        self.notice = notice
        hasNotice = !notice.isEmpty
        self.noticeVersion = noticeVersion
        self.noticeTold = noticeTold
        self.error = error
    }
}

/// The preview of a re-plan: what goes, what moves, what comes, who is told.
struct ReplanPageModel {
    struct Change {
        let time: String
        let table: String
        let people: String
        let before: String
    }

    let chrome: PageChrome
    let basedOn: Int
    let firstOpenSlot: String
    let cancelled: [Change]
    let moved: [Change]
    let added: [Change]
    let dropped: [Change]
    let hasCancelled: Bool
    let hasMoved: Bool
    let hasAdded: Bool
    let hasDropped: Bool
    let told: [String]
    let toldCount: Int
    let isEmpty: Bool
    let heldCount: Int

    init(replan: DayReplan, participants: [ParticipantID: Participant], session: WebSession, event: EventDefinition) {
        let dates = EventDateText(timeZone: event.timeZone)
        let slots = Dictionary(event.slots.map { ($0.id.rawValue, $0.start) }, uniquingKeysWith: { first, _ in first })
        let tables = Dictionary(event.tables.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { first, _ in first })
        func names(_ meeting: ScheduleDocument.Meeting) -> String {
            meeting.participants.map { participants[ParticipantID($0)]?.name ?? $0 }.joined(separator: " — ")
        }
        func place(_ meeting: ScheduleDocument.Meeting) -> String {
            (slots[meeting.slot].map(dates.time) ?? meeting.slot) + " " + (tables[meeting.table] ?? meeting.table)
        }
        func change(_ meeting: ScheduleDocument.Meeting, before: ScheduleDocument.Meeting? = nil) -> Change {
            Change(
                time: slots[meeting.slot].map(dates.time) ?? meeting.slot,
                table: tables[meeting.table] ?? meeting.table,
                people: names(meeting), before: before.map(place) ?? "")
        }
        let cancelledPairs = Set(replan.cancelled.map { $0.participants.sorted() })
        chrome = PageChrome(session: session, event: event)
        basedOn = replan.basedOn
        firstOpenSlot =
            replan.firstOpenSlot.flatMap { id in event.slots.first { $0.id == id } }.map { dates.time($0.start) } ?? ""
        cancelled = replan.cancelled.map { change($0) }
        moved = replan.changes.moved.map { change($0.after, before: $0.before) }
        added = replan.changes.added.map { change($0) }
        dropped = replan.changes.dropped.filter { !cancelledPairs.contains($0.participants.sorted()) }.map {
            change($0)
        }
        hasCancelled = !cancelled.isEmpty
        hasMoved = !moved.isEmpty
        hasAdded = !added.isEmpty
        hasDropped = !dropped.isEmpty
        told = replan.affected.map { participants[$0].map { "\($0.name) (\($0.organisation))" } ?? $0.rawValue }
        toldCount = told.count
        isEmpty = replan.isEmpty
        heldCount = replan.held.count
    }
}
