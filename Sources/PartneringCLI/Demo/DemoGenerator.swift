import Foundation
import PartneringCore

/// Realistic demo registrations and meeting requests for an event: the same
/// seed always gives the same data. Requests follow shared topics, and
/// popularity is skewed (a few experts and companies are asked by many).
struct DemoGenerator {
    struct DemoRequest {
        var from: Int
        var to: Int
        var priority: Priority
        var message: String
    }

    struct DemoData {
        var participants: [ParticipantDraft]
        var requests: [DemoRequest]
    }

    let event: EventDefinition
    let companyCount: Int
    let expertCount: Int
    let now: Date

    func generate(seed: UInt64) -> DemoData {
        var random = SeededRandom(seed: seed)
        let topics = event.allTopics.map(\.id)
        let slots = event.slots
        let companyCategory = event.categories.first { $0.role == .company }?.id ?? "company"
        let expertCategory = event.categories.first { $0.role == .expert }?.id ?? "expert"
        var participants: [ParticipantDraft] = []
        var usedEmails = Set<String>()

        for index in 0..<companyCount {
            let country = DemoNames.companyCountries.randomElement(using: &random) ?? "FR"
            let organisation = companyName(index: index, country: country, random: &random)
            participants.append(
                person(
                    id: ParticipantID(String(format: "c%03d", index + 1)), role: .company, category: companyCategory,
                    organisation: organisation, country: country, title: DemoNames.companyTitles,
                    topics: topics, slots: slots, usedEmails: &usedEmails, random: &random,
                    hostTable: index < 3 ? event.tables.reversed().dropFirst(index).first?.id : nil))
        }
        for index in 0..<expertCount {
            let institution = DemoNames.institutions.randomElement(using: &random) ?? ("Inserm", "FR")
            participants.append(
                person(
                    id: ParticipantID(String(format: "e%03d", index + 1)), role: .expert, category: expertCategory,
                    organisation: institution.name, country: institution.country, title: DemoNames.expertTitles,
                    topics: topics, slots: slots, usedEmails: &usedEmails, random: &random, hostTable: nil))
        }
        return DemoData(participants: participants, requests: requests(for: participants, random: &random))
    }

    private func companyName(index: Int, country: String, random: inout SeededRandom) -> String {
        let stem = DemoNames.companyStems[index % DemoNames.companyStems.count]
        let suffix = DemoNames.companySuffixes[
            (index / DemoNames.companyStems.count + index) % DemoNames.companySuffixes.count]
        let form = DemoNames.legalForms[country] ?? "Ltd"
        return "\(stem)\(suffix.lowercased().hasPrefix("b") ? "" : " ")\(suffix) \(form)"
    }

    private func person(
        id: ParticipantID, role: Role, category: CategoryID, organisation: String, country: String, title: [String],
        topics: [TopicID], slots: [Slot], usedEmails: inout Set<String>, random: inout SeededRandom, hostTable: TableID?
    ) -> ParticipantDraft {
        let first = DemoNames.firstNames.randomElement(using: &random) ?? "Anna"
        let last = DemoNames.lastNames.randomElement(using: &random) ?? "Martin"
        var email = "\(asciiSlug(first)).\(asciiSlug(last))@\(asciiSlug(organisation).prefix(20)).example"
        var suffix = 2
        while usedEmails.contains(email) {
            email = "\(asciiSlug(first)).\(asciiSlug(last))\(suffix)@\(asciiSlug(organisation).prefix(20)).example"
            suffix += 1
        }
        usedEmails.insert(email)
        let chosenTopics = Array(topics.shuffled(using: &random).prefix(Int.random(in: 2...5, using: &random)))
        let topicNames = chosenTopics.compactMap { id in event.allTopics.first { $0.id == id }?.name.en }
        let language: Language = country == "FR" || country == "BE" ? .fr : .en
        let profile =
            language == .fr
            ? "Nous travaillons sur \(topicNames.joined(separator: ", ")) et cherchons des partenaires en onco-hématologie."
            : "We work on \(topicNames.joined(separator: ", ")) and look for partners in haematological malignancies."
        return ParticipantDraft(
            id: id, role: role, category: category, name: "\(first) \(last)", email: email,
            organisation: organisation, jobTitle: title.randomElement(using: &random) ?? "", country: country,
            phone: nil, topics: chosenTopics, profile: profile, availability: availability(slots, random: &random),
            maxMeetings: Bool.random(using: &random) ? Int.random(in: 6...12, using: &random) : nil,
            language: language, listedInDirectory: Int.random(in: 0..<10, using: &random) > 0, hostTable: hostTable,
            registeredAt: now)
    }

    /// A quarter of the attendees come only for the morning or the afternoon.
    private func availability(_ slots: [Slot], random: inout SeededRandom) -> [SlotID]? {
        let sessions = Array(Set(slots.map(\.session))).sorted()
        guard sessions.count > 1, Int.random(in: 0..<4, using: &random) == 0,
            let session = sessions.randomElement(using: &random)
        else { return nil }
        return slots.filter { $0.session == session }.map(\.id)
    }

    /// Companies send 5–15 requests to experts sharing their topics, weighted by a
    /// Zipf popularity; about a fifth of the experts ask a few companies back.
    private func requests(for participants: [ParticipantDraft], random: inout SeededRandom) -> [DemoRequest] {
        let companies = participants.indices.filter { participants[$0].role == .company }
        let experts = participants.indices.filter { participants[$0].role == .expert }
        var popularity: [Int: Double] = [:]
        for (rank, index) in experts.shuffled(using: &random).enumerated() {
            popularity[index] = 1 / pow(Double(rank + 1), 0.9)
        }
        for (rank, index) in companies.shuffled(using: &random).enumerated() {
            popularity[index] = 1 / pow(Double(rank + 1), 0.9)
        }
        var result: [DemoRequest] = []
        var pairs = Set<[Int]>()
        func pick(from sender: Int, among candidates: [Int], count: Int, random: inout SeededRandom) {
            let senderTopics = Set(participants[sender].topics)
            var weights = candidates.map { candidate -> Double in
                let shared = Set(participants[candidate].topics).intersection(senderTopics).count
                return (popularity[candidate] ?? 0.01) * (1 + 3 * Double(shared))
            }
            for rank in 0..<count {
                let total = weights.reduce(0, +)
                guard total > 0 else { return }
                var target = Double.random(in: 0..<total, using: &random)
                var chosen = 0
                for (position, weight) in weights.enumerated() {
                    target -= weight
                    if target < 0 {
                        chosen = position
                        break
                    }
                }
                weights[chosen] = 0
                let recipient = candidates[chosen]
                guard pairs.insert([sender, recipient]).inserted else { continue }
                let priority: Priority = rank < 3 ? .first : (rank < 8 ? .second : .third)
                let message =
                    participants[sender].language == .fr
                    ? "Bonjour, nous aimerions échanger sur nos travaux communs."
                    : "Hello, we would like to discuss our shared interests."
                result.append(DemoRequest(from: sender, to: recipient, priority: priority, message: message))
            }
        }
        for company in companies {
            pick(from: company, among: experts, count: Int.random(in: 5...15, using: &random), random: &random)
        }
        for expert in experts where Int.random(in: 0..<5, using: &random) == 0 {
            pick(from: expert, among: companies, count: Int.random(in: 1...3, using: &random), random: &random)
        }
        return result
    }

    private func asciiSlug(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en"))
        return String(
            folded.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII }.map(
                Character.init))
    }
}
