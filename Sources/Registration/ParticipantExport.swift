import Foundation
import PartneringCore

/// A participant's data as the GDPR export gives it: the profile, the meeting requests
/// sent and received, the participant's own answers about their meetings, and the audit
/// entries about them.
public struct ParticipantExport: Sendable, Encodable {
    public struct Profile: Sendable, Encodable {
        var id: String
        var number: Int
        var role: String
        var category: String
        var status: String
        var name: String
        var email: String
        var organisation: String
        var jobTitle: String
        var country: String
        var phone: String?
        var topics: [String]
        var profile: String
        var availability: [String]?
        var maxMeetings: Int?
        var language: String
        var listedInDirectory: Bool
        var registeredAt: Date
    }

    public struct Request: Sendable, Encodable {
        var id: String
        var from: String
        var to: String
        var priority: Int
        var message: String
        var status: String
        var createdAt: Date
    }

    /// One of the participant's answers about a meeting (``MeetingFeedback``).
    public struct Feedback: Sendable, Encodable {
        var counterpart: String
        var attendance: String
        var usefulness: Int?
        var followUp: String
        var comment: String
        var recordedAt: Date
    }

    public struct Entry: Sendable, Encodable {
        var time: Date
        var actor: String
        var action: String
        var details: String
    }

    public var format = "partnering-participant-export/1"
    public var participant: Profile
    public var requests: [Request]
    public var meetingFeedback: [Feedback]
    public var auditEntries: [Entry]
    public var exportedAt: Date

    init(
        participant: Participant, requests: [MeetingRequest], meetingFeedback: [MeetingFeedback],
        auditEntries: [AuditEntry], exportedAt: Date
    ) {
        self.participant = Profile(
            id: participant.id.rawValue, number: participant.number, role: participant.role.rawValue,
            category: participant.category.rawValue, status: participant.status.rawValue, name: participant.name,
            email: participant.email, organisation: participant.organisation, jobTitle: participant.jobTitle,
            country: participant.country, phone: participant.phone, topics: participant.topics.map(\.rawValue),
            profile: participant.profile, availability: participant.availability?.map(\.rawValue),
            maxMeetings: participant.maxMeetings, language: participant.language.rawValue,
            listedInDirectory: participant.listedInDirectory, registeredAt: participant.registeredAt)
        self.requests = requests.map {
            Request(
                id: $0.id.rawValue, from: $0.from.rawValue, to: $0.to.rawValue, priority: $0.priority.rawValue,
                message: $0.message, status: $0.status.rawValue, createdAt: $0.createdAt)
        }
        self.meetingFeedback = meetingFeedback.map {
            Feedback(
                counterpart: $0.counterpart.rawValue, attendance: $0.attendance.rawValue, usefulness: $0.usefulness,
                followUp: $0.followUp.rawValue, comment: $0.comment, recordedAt: $0.recordedAt)
        }
        self.auditEntries = auditEntries.map {
            Entry(time: $0.time, actor: $0.actor, action: $0.action, details: $0.details)
        }
        self.exportedAt = exportedAt
    }

    /// The export as pretty-printed JSON with ISO 8601 dates.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}
