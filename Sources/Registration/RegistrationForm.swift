import Foundation
import Mail
import PartneringCore

/// What an attendee enters to register or to edit their profile, as raw text: the
/// same shape for the HTML form and the JSON body, validated by ``validate(event:role:)``.
public struct RegistrationForm: Sendable, Hashable, Codable {
    public var name: String
    public var email: String
    public var organisation: String
    public var jobTitle: String
    /// ISO 3166-1 alpha-2 code.
    public var country: String
    public var phone: String
    public var topics: [String]
    public var profile: String
    /// Session ids (`morning`, `afternoon`) the attendee can attend.
    public var sessions: [String]
    /// Finer choice: slot ids (`d1-0900`); when given, they win over `sessions`.
    public var slots: [String]
    /// The wished maximum of meetings; empty means the event's default.
    public var maxMeetings: String
    public var language: String
    /// The registration category, needed only when the role has several.
    public var category: String
    public var acceptPrivacy: Bool
    public var listInDirectory: Bool

    public init(
        name: String = "", email: String = "", organisation: String = "", jobTitle: String = "",
        country: String = "", phone: String = "", topics: [String] = [], profile: String = "",
        sessions: [String] = [], slots: [String] = [], maxMeetings: String = "", language: String = "",
        category: String = "", acceptPrivacy: Bool = false, listInDirectory: Bool = false
    ) {
        self.name = name
        self.email = email
        self.organisation = organisation
        self.jobTitle = jobTitle
        self.country = country
        self.phone = phone
        self.topics = topics
        self.profile = profile
        self.sessions = sessions
        self.slots = slots
        self.maxMeetings = maxMeetings
        self.language = language
        self.category = category
        self.acceptPrivacy = acceptPrivacy
        self.listInDirectory = listInDirectory
    }

    enum CodingKeys: String, CodingKey {
        case name, email, organisation, jobTitle, country, phone, topics, profile, sessions, slots
        case maxMeetings, language, category, acceptPrivacy, listInDirectory
    }

    /// Reads a JSON body leniently: absent fields are empty, `maxMeetings` may be a number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String { try container.decodeIfPresent(String.self, forKey: key) ?? "" }
        name = try text(.name)
        email = try text(.email)
        organisation = try text(.organisation)
        jobTitle = try text(.jobTitle)
        country = try text(.country)
        phone = try text(.phone)
        topics = try container.decodeIfPresent([String].self, forKey: .topics) ?? []
        profile = try text(.profile)
        sessions = try container.decodeIfPresent([String].self, forKey: .sessions) ?? []
        slots = try container.decodeIfPresent([String].self, forKey: .slots) ?? []
        if let number = try? container.decodeIfPresent(Int.self, forKey: .maxMeetings) {
            maxMeetings = String(number)
        } else {
            maxMeetings = try text(.maxMeetings)
        }
        language = try text(.language)
        category = try text(.category)
        acceptPrivacy = try container.decodeIfPresent(Bool.self, forKey: .acceptPrivacy) ?? false
        listInDirectory = try container.decodeIfPresent(Bool.self, forKey: .listInDirectory) ?? false
    }

    /// The form filled from a stored participant, for the profile page.
    public init(participant: Participant, event: EventDefinition) {
        let slots = event.slots
        let chosen = Set(participant.availability ?? slots.map(\.id))
        let fullSessions = event.sessions.filter { session in
            slots.filter { $0.session == session.id }.allSatisfy { chosen.contains($0.id) }
        }
        let coveredBySessions = Set(
            slots.filter { slot in fullSessions.contains { $0.id == slot.session } }.map(\.id))
        self.init(
            name: participant.name, email: participant.email, organisation: participant.organisation,
            jobTitle: participant.jobTitle, country: participant.country, phone: participant.phone ?? "",
            topics: participant.topics.map(\.rawValue), profile: participant.profile,
            sessions: fullSessions.map(\.id),
            slots: coveredBySessions == chosen ? [] : slots.map(\.id).filter { chosen.contains($0) }.map(\.rawValue),
            maxMeetings: participant.maxMeetings.map(String.init) ?? "", language: participant.language.rawValue,
            category: participant.category.rawValue, acceptPrivacy: true,
            listInDirectory: participant.listedInDirectory)
    }

    /// The limits of the free-text fields.
    public enum Limits {
        public static let name = 120
        public static let organisation = 160
        public static let jobTitle = 120
        public static let profile = 2000
        public static let email = 254
    }

    /// The checked values of a valid form.
    public struct Checked: Sendable, Hashable {
        public var name: String
        public var email: String
        public var organisation: String
        public var jobTitle: String
        public var country: String
        public var phone: String?
        public var topics: [TopicID]
        public var profile: String
        public var availability: [SlotID]?
        public var maxMeetings: Int?
        public var language: Language
        public var category: CategoryID
        public var listedInDirectory: Bool
    }

    /// Checks every field against the event and returns the clean values, or every
    /// issue found (all fields are checked, not only the first bad one).
    public func validate(event: EventDefinition, role: Role, requireConsent: Bool = true) -> Result<
        Checked, Refusal
    > {
        var issues: [FieldIssue] = []
        func required(_ value: String, _ field: String, max: Int, multiline: Bool = false) -> String {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty {
                issues.append(FieldIssue(field, .required))
            } else if let problem = TextRules.problem(of: trimmed, max: max, multiline: multiline) {
                issues.append(FieldIssue(field, problem))
            }
            return trimmed
        }
        let name = required(self.name, "name", max: Limits.name)
        let email = required(self.email, "email", max: Limits.email)
        if !email.isEmpty && !issues.contains(where: { $0.field == "email" }) && !Self.isDeliverable(email) {
            issues.append(FieldIssue("email", .invalidEmail))
        }
        if !issues.contains(where: { $0.field == "name" }) && !Self.isWritableName(name) {
            issues.append(FieldIssue("name", .controlCharacter))
        }
        let organisation = required(self.organisation, "organisation", max: Limits.organisation)
        let jobTitle = required(self.jobTitle, "jobTitle", max: Limits.jobTitle)
        let country = country.trimmingCharacters(in: .whitespaces).uppercased()
        if country.isEmpty {
            issues.append(FieldIssue("country", .required))
        } else if !Countries.codes.contains(country) {
            issues.append(FieldIssue("country", .invalidCountry))
        }
        let phone = phone.trimmingCharacters(in: .whitespaces)
        if !phone.isEmpty && !Self.looksLikePhone(phone) { issues.append(FieldIssue("phone", .invalidPhone)) }
        let knownTopics = Set(event.allTopics.map(\.id.rawValue))
        let topics = Array(NSOrderedSet(array: self.topics).compactMap { $0 as? String })
        if topics.isEmpty {
            issues.append(FieldIssue("topics", .required))
        } else if !topics.allSatisfy(knownTopics.contains) {
            issues.append(FieldIssue("topics", .unknownChoice))
        }
        let profile = required(self.profile, "profile", max: Limits.profile, multiline: true)
        let availability = checkAvailability(event: event, issues: &issues)
        var maxMeetings: Int?
        let maxText = self.maxMeetings.trimmingCharacters(in: .whitespaces)
        let slotCount = event.slots.count
        if !maxText.isEmpty {
            if let number = Int(maxText) {
                if (1...slotCount).contains(number) {
                    maxMeetings = number
                } else {
                    issues.append(FieldIssue("maxMeetings", .outOfRange(min: 1, max: slotCount)))
                }
            } else {
                issues.append(FieldIssue("maxMeetings", .notANumber))
            }
        }
        let language = Language(rawValue: self.language)
        if language == nil || !event.languages.contains(language ?? .fr) {
            issues.append(FieldIssue("language", self.language.isEmpty ? .required : .unknownChoice))
        }
        let categories = event.categories.filter { $0.role == role }
        var category = categories.first?.id
        if categories.count > 1 {
            category = categories.first { $0.id.rawValue == self.category }?.id
            if category == nil {
                issues.append(FieldIssue("category", self.category.isEmpty ? .required : .unknownChoice))
            }
        }
        if requireConsent && !acceptPrivacy { issues.append(FieldIssue("acceptPrivacy", .consentRequired)) }
        guard issues.isEmpty, let language, let category else {
            return .failure(issues.isEmpty ? .unknownRole(role.rawValue) : .invalidInput(issues))
        }
        return .success(
            Checked(
                name: name, email: email, organisation: organisation, jobTitle: jobTitle, country: country,
                phone: phone.isEmpty ? nil : phone, topics: topics.map { TopicID($0) }, profile: profile,
                availability: availability, maxMeetings: maxMeetings, language: language, category: category,
                listedInDirectory: listInDirectory))
    }

    private func checkAvailability(event: EventDefinition, issues: inout [FieldIssue]) -> [SlotID]? {
        let allSlots = event.slots
        if !slots.isEmpty {
            let known = Set(allSlots.map(\.id.rawValue))
            guard slots.allSatisfy(known.contains) else {
                issues.append(FieldIssue("slots", .unknownChoice))
                return nil
            }
            let chosen = Set(slots)
            let ordered = allSlots.map(\.id).filter { chosen.contains($0.rawValue) }
            return ordered.count == allSlots.count ? nil : ordered
        }
        let knownSessions = Set(event.sessions.map(\.id))
        guard !sessions.isEmpty else {
            issues.append(FieldIssue("sessions", .required))
            return nil
        }
        guard sessions.allSatisfy(knownSessions.contains) else {
            issues.append(FieldIssue("sessions", .unknownChoice))
            return nil
        }
        let chosen = Set(sessions)
        let slots = allSlots.filter { chosen.contains($0.session) }.map(\.id)
        return slots.count == allSlots.count ? nil : slots
    }

    /// Whether the mail layer can write `text` as a recipient address (``MailAddress``'s
    /// rules: ASCII dot-atoms, a local part of at most 64 bytes), on a domain with a dot:
    /// the door and the outbox apply one rule, so an accepted address always gets its e-mail.
    /// International domains are refused here: the outbox writes ASCII addresses only.
    static func isDeliverable(_ text: String) -> Bool {
        guard (try? MailAddress(text)) != nil, let domain = text.split(separator: "@").last else { return false }
        return domain.contains(".")
    }

    /// Whether the mail layer can write `name` as the recipient's display name.
    static func isWritableName(_ name: String) -> Bool {
        (try? MailAddress("someone@example.org", name: name)) != nil
    }

    /// Digits with the usual separators, 6 to 17 digits, an optional leading `+`.
    static func looksLikePhone(_ text: String) -> Bool {
        let allowed = Set("0123456789 +-.()/")
        guard text.allSatisfy(allowed.contains), !text.dropFirst().contains("+") else { return false }
        let digits = text.filter(\.isNumber).count
        return (6...17).contains(digits)
    }

    /// The canonical text of the form, for idempotency fingerprints.
    var canonicalText: String {
        [
            name, email.lowercased(), organisation, jobTitle, country, phone, topics.joined(separator: ","), profile,
            sessions.joined(separator: ","), slots.joined(separator: ","), maxMeetings, language, category,
            String(acceptPrivacy), String(listInDirectory),
        ].joined(separator: "\u{1F}")
    }
}
