import Foundation
import Hummingbird
import PartneringCore
import Registration

/// A participant as the API shows it to themself and to organisers.
struct ParticipantJSON: ResponseEncodable {
    let id: String
    let number: Int
    let role: String
    let category: String
    let status: String
    let name: String
    let email: String
    let organisation: String
    let jobTitle: String
    let country: String
    let phone: String?
    let topics: [String]
    let profile: String
    let availability: [String]?
    let maxMeetings: Int?
    let language: String
    let listedInDirectory: Bool
    let registeredAt: Date
    let waitlistPosition: Int?

    init(_ participant: Participant, waitlistPosition: Int? = nil) {
        id = participant.id.rawValue
        number = participant.number
        role = participant.role.rawValue
        category = participant.category.rawValue
        status = participant.status.rawValue
        name = participant.name
        email = participant.email
        organisation = participant.organisation
        jobTitle = participant.jobTitle
        country = participant.country
        phone = participant.phone
        topics = participant.topics.map(\.rawValue)
        profile = participant.profile
        availability = participant.availability?.map(\.rawValue)
        maxMeetings = participant.maxMeetings
        language = participant.language.rawValue
        listedInDirectory = participant.listedInDirectory
        registeredAt = participant.registeredAt
        self.waitlistPosition = waitlistPosition
    }
}

/// A directory entry: what other attendees may see (no e-mail address, no phone).
struct DirectoryEntryJSON: Encodable {
    let id: String
    let role: String
    let name: String
    let organisation: String
    let jobTitle: String
    let country: String
    let topics: [String]
    let profile: String

    init(_ participant: Participant) {
        id = participant.id.rawValue
        role = participant.role.rawValue
        name = participant.name
        organisation = participant.organisation
        jobTitle = participant.jobTitle
        country = participant.country
        topics = participant.topics.map(\.rawValue)
        profile = participant.profile
    }
}

struct DirectoryJSON: ResponseEncodable {
    let total: Int
    let page: Int
    let pageCount: Int
    let participants: [DirectoryEntryJSON]
}

struct RegistrationJSON: ResponseEncodable {
    let participant: ParticipantJSON
    let sessionToken: String
    let sessionExpiresAt: Date
    let replayed: Bool
}

struct RequestJSON: ResponseEncodable {
    let id: String
    let from: String
    let to: String
    let priority: Int
    let message: String
    let status: String
    let createdAt: Date

    init(_ request: MeetingRequest) {
        id = request.id.rawValue
        from = request.from.rawValue
        to = request.to.rawValue
        priority = request.priority.rawValue
        message = request.message
        status = request.status.rawValue
        createdAt = request.createdAt
    }
}

struct RequestsJSON: ResponseEncodable {
    let incoming: [RequestJSON]
    let outgoing: [RequestJSON]
    let openCount: Int
    let limit: Int
}

struct TokenJSON: ResponseEncodable {
    let token: String
    let expiresAt: Date
}

struct SessionJSON: ResponseEncodable {
    let sessionToken: String
    let expiresAt: Date
    let participant: ParticipantJSON
}

struct AcceptedJSON: ResponseEncodable {
    let status: String
}

struct OccupancyJSON: ResponseEncodable {
    let category: String
    let role: String
    let capacity: Int
    let confirmed: Int
    let pending: Int
    let waitlisted: Int
    let cancelled: Int
    let rejected: Int
    let free: Int
}

struct StatisticsJSON: ResponseEncodable {
    struct Popular: Encodable {
        let id: String
        let name: String
        let organisation: String
        let received: Int
        let accepted: Int
        let declined: Int
    }

    let total: Int
    let byStatus: [String: Int]
    let acceptanceRate: Double?
    let mostRequested: [String: [Popular]]
}

/// Request bodies.
struct AccessLinkBody: Decodable { let email: String }
struct SessionBody: Decodable { let token: String }
struct CredentialsBody: Decodable {
    let email: String
    let password: String
}
struct CancelBody: Decodable { let reason: String? }
