import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    @Test(
        "Calendar subscriptions: one secret per participant, replaced, removed, gone with the participant",
        arguments: Backend.testable)
    func calendarFeeds(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let noon = Date(timeIntervalSince1970: 1_800_000_000)
            let participant = try await store.participants.insert(
                ParticipantDraft(
                    id: ParticipantID("p-feed"), role: .company, category: CategoryID("company-delegate"),
                    name: "Ada", email: "ada@example.org", organisation: "", jobTitle: "", country: "FR",
                    topics: [], profile: "", language: .fr, listedInDirectory: true, registeredAt: noon),
                status: .confirmed)

            // MUT
            try await store.calendarFeeds.saveFeedSecret("first", of: participant.id, at: noon)
            try await store.calendarFeeds.saveFeedSecret("second", of: participant.id, at: noon)

            // validation
            #expect(try await store.calendarFeeds.feedSecret(of: participant.id) == "second")
            #expect(try await store.calendarFeeds.feedSecret(of: ParticipantID("p-other")) == nil)
            #expect(try await store.calendarFeeds.removeFeed(of: participant.id))
            #expect(try await !store.calendarFeeds.removeFeed(of: participant.id))
            #expect(try await store.calendarFeeds.feedSecret(of: participant.id) == nil)
            try await store.calendarFeeds.saveFeedSecret("third", of: participant.id, at: noon)
            try await store.participants.delete(id: participant.id)
            #expect(try await store.calendarFeeds.feedSecret(of: participant.id) == nil, "erasure removes it")
        }
    }
}
