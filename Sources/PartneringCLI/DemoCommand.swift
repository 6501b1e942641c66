import ArgumentParser
import Foundation
import PartneringCore
import Storage

/// `partnering demo`: fills the store with realistic registrations and meeting requests.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill the store with demo registrations and meeting requests.",
        discussion: """
            About 120 companies and 150 experts with French and international names, topics from \
            the event's taxonomy, and topic-driven requests with skewed popularity. Refuses a store \
            that already has participants.
            """
    )

    @OptionGroup var service: ServiceOptions

    @Option(help: "How many company delegates.") var companies = 120
    @Option(help: "How many experts.") var experts = 150
    @Option(help: "The random seed: the same seed gives the same data.") var seed: UInt64 = 2027

    func run() async throws {
        try await reportingFailures {
            guard (1...5000).contains(companies), (1...5000).contains(experts) else {
                throw CommandFailure.badInput("--companies and --experts take a number from 1 to 5000")
            }
            let (settings, event) = try await service.settingsAndEvent()
            let data = DemoGenerator(event: event, companyCount: companies, expertCount: experts, now: Date())
                .generate(seed: seed)
            try await withStore(settings) { store in
                guard try await store.participants.count(.all) == 0 else {
                    throw CommandFailure.badInput(
                        "the store \(settings.database) already has participants; use a fresh --data-dir")
                }
                var stored: [Participant] = []
                for draft in data.participants {
                    stored.append(try await store.participants.insert(draft, status: .confirmed))
                }
                var created = 0
                for (index, request) in data.requests.enumerated() {
                    let meetingRequest = MeetingRequest(
                        id: RequestID(String(format: "r%05d", index + 1)), from: stored[request.from].id,
                        to: stored[request.to].id, priority: request.priority, message: request.message,
                        status: .pending, createdAt: Date())
                    _ = try await store.requests.create(meetingRequest, openRequestLimit: nil)
                    created += 1
                }
                print(
                    "Demo data in \(settings.database): \(companies) companies, \(experts) experts, \(created) meeting requests."
                )
            }
        }
    }
}
