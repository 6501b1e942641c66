import Foundation
import PartneringCore

/// Realistic participants of an oncohematology partnering day.
enum Fixtures {
    static let companies: CategoryID = "company-delegate"
    static let experts: CategoryID = "academic-expert"
    static let start = Date(timeIntervalSince1970: 1_780_000_000.125)

    /// A draft with a fresh id; `index` varies name and e-mail.
    static func draft(
        _ index: Int, role: Role = .company, category: CategoryID? = nil, name: String? = nil,
        organisation: String = "Lymphocyte Therapeutics", country: String = "FR",
        topics: [TopicID] = ["car-t", "lymphoma"], profile: String = "Cell therapy developer.",
        listed: Bool = true
    ) -> ParticipantDraft {
        ParticipantDraft(
            id: ParticipantID("p-\(UUID().uuidString.lowercased())"),
            role: role,
            category: category ?? (role == .expert ? experts : companies),
            name: name ?? "Participant \(index)",
            email: "participant\(index)@example.org",
            organisation: organisation,
            jobTitle: "Head of partnerships",
            country: country,
            phone: index.isMultiple(of: 2) ? "+33 1 44 55 66 \(String(format: "%02d", index % 100))" : nil,
            topics: topics,
            profile: profile,
            availability: index.isMultiple(of: 3) ? ["d1-0900", "d1-0925"] : nil,
            maxMeetings: index.isMultiple(of: 4) ? 8 : nil,
            language: index.isMultiple(of: 2) ? .fr : .en,
            listedInDirectory: listed,
            hostTable: index.isMultiple(of: 5) ? "t-12" : nil,
            registeredAt: start.addingTimeInterval(Double(index) * 1.5))
    }

    static func request(
        _ index: Int, from: ParticipantID, to: ParticipantID, priority: Priority = .first,
        status: RequestStatus = .pending
    ) -> MeetingRequest {
        MeetingRequest(
            id: RequestID("r-\(index)-\(UUID().uuidString.prefix(8).lowercased())"), from: from, to: to,
            priority: priority, message: "Échange sur les lymphomes B réfractaires (\(index))",
            status: status, slots: index.isMultiple(of: 2) ? ["d1-1400"] : nil,
            createdAt: start.addingTimeInterval(Double(index)))
    }
}
