import Foundation
import PartneringCore

/// The organisers' account of the event: who registered, came and met, how the meetings
/// went and what follows from them. Built from the store as it is (registrations, the
/// desks' check-ins, requests, the published schedule, meeting feedback); the page, the
/// CSV files and the JSON API all show this one value.
///
/// A meeting counts as **held** when one of its participants says so, or when both were
/// checked in and neither says otherwise; as a **no-show** when one says the other did not
/// come, or when the desks admitted people but not both of these two; as **cancelled**
/// when one says so; otherwise it is **unconfirmed** (no check-in, no answer).
public struct EventReport: Sendable, Hashable, Encodable {
    /// Registrations of one group (a role, a category, a country).
    public struct Registrations: Sendable, Hashable, Encodable {
        /// The role, category id or ISO country code.
        public var key: String
        /// Pending, confirmed or on the waiting list.
        public var registered: Int
        public var confirmed: Int
        /// Admitted at a desk.
        public var checkedIn: Int
    }

    /// What became of the meetings.
    public struct Meetings: Sendable, Hashable, Encodable {
        /// Meeting requests sent (withdrawn ones left out).
        public var requested: Int
        /// Meetings of the published schedule.
        public var scheduled: Int
        public var held: Int
        public var noShows: Int
        public var cancelled: Int
        public var unconfirmed: Int
    }

    /// How many answers chose one follow-up.
    public struct FollowUpCount: Sendable, Hashable, Encodable {
        public var plan: MeetingFeedback.FollowUpPlan
        public var count: Int
    }

    /// How many of those asked answered.
    public struct Responses: Sendable, Hashable, Encodable {
        /// Confirmed participants with a meeting in the published schedule.
        public var participantsWithMeetings: Int
        /// Those of them who answered about at least one meeting.
        public var participantsAnswered: Int
        /// Answers about meetings of the published schedule.
        public var answers: Int
        /// Two per scheduled meeting.
        public var answersPossible: Int

        /// The share of participants with meetings who answered, in whole percent.
        public var participantRate: Int
    }

    public var generatedAt: Date
    public var total: Registrations
    /// In the event's order of roles and categories; countries by confirmed registrations.
    public var byRole: [Registrations]
    public var byCategory: [Registrations]
    public var byCountry: [Registrations]
    public var meetings: Meetings
    /// How many held meetings were rated 1, 2, 3, 4 and 5 (index 0 is 1).
    public var usefulness: [Int]
    /// The mean rating, to one decimal, or `nil` without ratings.
    public var averageUsefulness: Double?
    /// Every follow-up kind, in the order of ``MeetingFeedback/FollowUpPlan``, with its count.
    public var followUps: [FollowUpCount]
    public var responses: Responses

    /// The report from the records it summarises.
    public static func build(
        event: EventDefinition, participants: [Participant], checkIns: [CheckIn], requests: [MeetingRequest],
        meetings: [Meeting], feedback: [MeetingFeedback], at time: Date
    ) -> EventReport {
        let arrived = Set(checkIns.map(\.participant))
        func line(_ key: String, _ people: [Participant]) -> Registrations {
            Registrations(
                key: key, registered: people.filter { [.pending, .confirmed, .waitlisted].contains($0.status) }.count,
                confirmed: people.filter { $0.status == .confirmed }.count,
                checkedIn: people.filter { arrived.contains($0.id) }.count)
        }
        let byCountry = Dictionary(grouping: participants, by: \.country).map { line($0.key, $0.value) }
            .sorted { ($0.confirmed, $1.key) > ($1.confirmed, $0.key) }

        var answers: [Pair: [MeetingFeedback]] = [:]
        for answer in feedback { answers[Pair(answer.author, answer.counterpart), default: []].append(answer) }
        let deskUsed = !arrived.isEmpty
        var outcome = Meetings(
            requested: requests.filter { $0.status != .withdrawn }.count, scheduled: meetings.count, held: 0,
            noShows: 0, cancelled: 0, unconfirmed: 0)
        var usefulness = Array(repeating: 0, count: MeetingFeedback.usefulnessScale.count)
        var followUps: [MeetingFeedback.FollowUpPlan: Int] = [:]
        var answerCount = 0
        var answered: Set<ParticipantID> = []
        for meeting in meetings where meeting.participants.count == 2 {
            let said = answers[Pair(meeting.participants[0], meeting.participants[1]), default: []]
            let attendances = Set(said.map(\.attendance))
            let bothArrived = meeting.participants.allSatisfy(arrived.contains)
            if attendances.contains(.held) || (bothArrived && attendances.isEmpty) {
                outcome.held += 1
            } else if attendances.contains(.counterpartAbsent) || (deskUsed && !bothArrived && attendances.isEmpty) {
                outcome.noShows += 1
            } else if attendances.contains(.cancelled) {
                outcome.cancelled += 1
            } else {
                outcome.unconfirmed += 1
            }
            for answer in said {
                answerCount += 1
                answered.insert(answer.author)
                followUps[answer.followUp, default: 0] += 1
                if let rating = answer.usefulness, MeetingFeedback.usefulnessScale.contains(rating) {
                    usefulness[rating - MeetingFeedback.usefulnessScale.lowerBound] += 1
                }
            }
        }
        let confirmed = Set(participants.filter { $0.status == .confirmed }.map(\.id))
        let withMeetings = Set(meetings.flatMap(\.participants)).intersection(confirmed)
        let participantsAnswered = answered.intersection(withMeetings).count
        let ratings = usefulness.reduce(0, +)
        let ratingSum = usefulness.enumerated().reduce(0) {
            $0 + ($1.offset + MeetingFeedback.usefulnessScale.lowerBound) * $1.element
        }
        return EventReport(
            generatedAt: time, total: line("all", participants),
            byRole: event.roles.map { role in line(role.role.rawValue, participants.filter { $0.role == role.role }) },
            byCategory: event.categories.map { category in
                line(category.id.rawValue, participants.filter { $0.category == category.id })
            },
            byCountry: byCountry, meetings: outcome, usefulness: usefulness,
            averageUsefulness: ratings == 0 ? nil : (Double(ratingSum) / Double(ratings) * 10).rounded() / 10,
            followUps: MeetingFeedback.FollowUpPlan.allCases.map { FollowUpCount(plan: $0, count: followUps[$0] ?? 0) },
            responses: Responses(
                participantsWithMeetings: withMeetings.count, participantsAnswered: participantsAnswered,
                answers: answerCount, answersPossible: meetings.count * 2,
                participantRate: withMeetings.isEmpty ? 0 : participantsAnswered * 100 / withMeetings.count))
    }

    /// The report of the store's records now.
    public static func load(
        event: EventDefinition, participants: any ParticipantRepository, checkIns: any CheckInRepository,
        requests: any MeetingRequestRepository, schedules: any ScheduleRepository,
        feedback: any MeetingFeedbackRepository, at time: Date
    ) async throws -> EventReport {
        build(
            event: event, participants: try await participants.list(ParticipantFilter()),
            checkIns: try await checkIns.checkIns(), requests: try await requests.list(.all),
            meetings: try await schedules.published()?.meetings ?? [], feedback: try await feedback.allFeedback(),
            at: time)
    }

    /// An unordered pair of participants: a meeting, whoever speaks of it.
    private struct Pair: Hashable {
        let first: ParticipantID
        let second: ParticipantID

        init(_ one: ParticipantID, _ other: ParticipantID) {
            (first, second) = one <= other ? (one, other) : (other, one)
        }
    }

    // MARK: CSV

    /// The report's tables as CSV files (``CSVWriter``), one per part.
    public enum CSVPart: String, Sendable, CaseIterable {
        /// Registrations by role, category and country.
        case registrations
        /// What became of the meetings.
        case meetings
        /// Ratings, follow-ups and the response rate.
        case feedback
    }

    /// One part of the report as a CSV file with a header row.
    public func csv(_ part: CSVPart) -> Data {
        var csv = CSVWriter(separator: .comma, capacity: 4096)
        switch part {
        case .registrations:
            csv.record(["group", "key", "registered", "confirmed", "checked_in"])
            for (group, lines) in [
                ("total", [total]), ("role", byRole), ("category", byCategory), ("country", byCountry),
            ] {
                for line in lines {
                    csv.record([
                        group, line.key, String(line.registered), String(line.confirmed), String(line.checkedIn),
                    ])
                }
            }
        case .meetings:
            csv.record(["figure", "value"])
            for (figure, value) in [
                ("requested", meetings.requested), ("scheduled", meetings.scheduled), ("held", meetings.held),
                ("no_show", meetings.noShows), ("cancelled", meetings.cancelled),
                ("unconfirmed", meetings.unconfirmed),
            ] {
                csv.record([figure, String(value)])
            }
        case .feedback:
            csv.record(["figure", "key", "value"])
            for (index, count) in usefulness.enumerated() {
                csv.record(["usefulness", String(index + MeetingFeedback.usefulnessScale.lowerBound), String(count)])
            }
            for line in followUps { csv.record(["follow_up", line.plan.rawValue, String(line.count)]) }
            csv.record(["responses", "participants_with_meetings", String(responses.participantsWithMeetings)])
            csv.record(["responses", "participants_answered", String(responses.participantsAnswered)])
            csv.record(["responses", "answers", String(responses.answers)])
            csv.record(["responses", "answers_possible", String(responses.answersPossible)])
        }
        return csv.data
    }
}
