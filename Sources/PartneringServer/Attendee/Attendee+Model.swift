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

/// The personal area's home.
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
    let incomingPending: Int
    let openRequests: Int
    let requestLimit: Int
    let canCancel: Bool
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
    let total: Int
    let page: Int
    let pageCount: Int
    let previousPage: Int
    let nextPage: Int
    let hasPrevious: Bool
    let hasNext: Bool
    let query: String
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

/// One request line in the personal area.
struct RequestLine {
    let id: String
    let person: String
    let organisation: String
    let priority: Int
    let message: String
    let status: String
    let isPending: Bool
    let isOpen: Bool
}

/// Incoming and outgoing requests.
struct RequestsPageModel {
    let chrome: PageChrome
    let incoming: [RequestLine]
    let outgoing: [RequestLine]
    let openCount: Int
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
    init(_ view: RequestView, language: Language) {
        id = view.request.id.rawValue
        person = view.counterpart?.name ?? (language == .fr ? "(compte supprimé)" : "(account erased)")
        organisation = view.counterpart?.organisation ?? ""
        priority = view.request.priority.rawValue
        message = view.request.message
        status = view.request.status.rawValue
        isPending = view.request.status == .pending
        isOpen = view.request.status.isOpen
    }
}
