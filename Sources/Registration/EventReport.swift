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

    /// What became of the meetings of one group's participants: a role, a category, an
    /// organisation or a topic. A meeting counts once in each group one of its two
    /// participants belongs to; ratings and follow-ups count the answers of the group's people.
    public struct MeetingOutcomes: Sendable, Hashable, Encodable {
        /// The role, category id, topic id, or the organisation's name as first written.
        public var key: String
        public var scheduled: Int
        public var held: Int
        public var noShows: Int
        /// Answers of the group's participants that rate their meeting.
        public var ratings: Int
        /// Their mean, to one decimal, or `nil` without ratings.
        public var averageUsefulness: Double?
        /// Answers of the group's participants that plan a follow-up (any but none).
        public var followUps: Int
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
    /// Meeting outcomes by role and by category (the event's order), by organisation (most
    /// meetings first) and by topic (the taxonomy's order, topics without meetings left out).
    public var meetingsByRole: [MeetingOutcomes]
    public var meetingsByCategory: [MeetingOutcomes]
    public var meetingsByOrganisation: [MeetingOutcomes]
    public var meetingsByTopic: [MeetingOutcomes]

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
        let people = Dictionary(participants.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var groups = GroupTally(people: people)
        for meeting in meetings where meeting.participants.count == 2 {
            let said = answers[Pair(meeting.participants[0], meeting.participants[1]), default: []]
            let attendances = Set(said.map(\.attendance))
            let bothArrived = meeting.participants.allSatisfy(arrived.contains)
            let fate: Fate
            if attendances.contains(.held) || (bothArrived && attendances.isEmpty) {
                outcome.held += 1
                fate = .held
            } else if attendances.contains(.counterpartAbsent) || (deskUsed && !bothArrived && attendances.isEmpty) {
                outcome.noShows += 1
                fate = .noShow
            } else if attendances.contains(.cancelled) {
                outcome.cancelled += 1
                fate = .other
            } else {
                outcome.unconfirmed += 1
                fate = .other
            }
            groups.count(meeting: meeting.participants, fate: fate, answers: said)
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
                participantRate: withMeetings.isEmpty ? 0 : participantsAnswered * 100 / withMeetings.count),
            meetingsByRole: event.roles.compactMap { groups.outcomes(.role, $0.role.rawValue) },
            meetingsByCategory: event.categories.compactMap { groups.outcomes(.category, $0.id.rawValue) },
            meetingsByOrganisation: groups.organisations(),
            meetingsByTopic: event.topics.flatMap(\.topics).compactMap { groups.outcomes(.topic, $0.id.rawValue) })
    }

    /// What became of one meeting, as the groups count it.
    private enum Fate {
        case held, noShow, other
    }

    /// The meeting outcomes of every group, counted meeting by meeting.
    private struct GroupTally {
        enum Dimension: Hashable {
            case role, category, organisation, topic
        }

        struct Key: Hashable {
            let dimension: Dimension
            let value: String
        }

        let people: [ParticipantID: Participant]
        var tallies: [Key: MeetingOutcomes] = [:]
        var ratingSums: [Key: Int] = [:]
        /// The organisation's name as first written, by its folded form.
        var organisationNames: [String: String] = [:]

        init(people: [ParticipantID: Participant]) {
            self.people = people
        }

        /// The groups of one participant. Organisations are one group whatever the case,
        /// accents or surrounding spaces of the name as each delegate typed it.
        mutating func keys(of id: ParticipantID) -> [Key] {
            guard let person = people[id] else { return [] }
            let written = person.organisation.trimmingCharacters(in: .whitespacesAndNewlines)
            var keys = [
                Key(dimension: .role, value: person.role.rawValue),
                Key(dimension: .category, value: person.category.rawValue),
            ]
            if !written.isEmpty {
                let folded = written.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                if organisationNames[folded] == nil { organisationNames[folded] = written }
                keys.append(Key(dimension: .organisation, value: folded))
            }
            keys += person.topics.map { Key(dimension: .topic, value: $0.rawValue) }
            return keys
        }

        mutating func count(meeting participants: [ParticipantID], fate: Fate, answers: [MeetingFeedback]) {
            var involved: Set<Key> = []
            var byAuthor: [ParticipantID: [Key]] = [:]
            for id in participants {
                let keys = keys(of: id)
                byAuthor[id] = keys
                involved.formUnion(keys)
            }
            for key in involved {
                var tally =
                    tallies[key]
                    ?? MeetingOutcomes(
                        key: key.value, scheduled: 0, held: 0, noShows: 0, ratings: 0, averageUsefulness: nil,
                        followUps: 0)
                tally.scheduled += 1
                switch fate {
                case .held: tally.held += 1
                case .noShow: tally.noShows += 1
                case .other: break
                }
                tallies[key] = tally
            }
            for answer in answers {
                for key in byAuthor[answer.author] ?? [] {
                    if let rating = answer.usefulness, MeetingFeedback.usefulnessScale.contains(rating) {
                        tallies[key]?.ratings += 1
                        ratingSums[key, default: 0] += rating
                    }
                    if answer.followUp != .none { tallies[key]?.followUps += 1 }
                }
            }
        }

        /// The group's outcomes, or `nil` when none of its people had a meeting.
        func outcomes(_ dimension: Dimension, _ value: String) -> MeetingOutcomes? {
            let key = Key(dimension: dimension, value: value)
            guard var tally = tallies[key] else { return nil }
            if tally.ratings > 0 {
                tally.averageUsefulness =
                    (Double(ratingSums[key, default: 0]) / Double(tally.ratings) * 10).rounded() / 10
            }
            return tally
        }

        /// Every organisation with meetings, most meetings first, under its name as first written.
        func organisations() -> [MeetingOutcomes] {
            tallies.keys.filter { $0.dimension == .organisation }
                .compactMap { key -> MeetingOutcomes? in
                    guard var tally = outcomes(.organisation, key.value) else { return nil }
                    tally.key = organisationNames[key.value] ?? key.value
                    return tally
                }
                .sorted { ($0.scheduled, $1.key) > ($1.scheduled, $0.key) }
        }
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
        /// Meeting outcomes by role, category, organisation and topic.
        case groups
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
        case .groups:
            csv.record([
                "group", "key", "scheduled", "held", "no_show", "ratings", "average_usefulness", "follow_ups",
            ])
            for (group, lines) in [
                ("role", meetingsByRole), ("category", meetingsByCategory),
                ("organisation", meetingsByOrganisation), ("topic", meetingsByTopic),
            ] {
                for line in lines {
                    csv.record([
                        group, line.key, String(line.scheduled), String(line.held), String(line.noShows),
                        String(line.ratings), line.averageUsefulness.map { String($0) } ?? "", String(line.followUps),
                    ])
                }
            }
        }
        return csv.data
    }
}
