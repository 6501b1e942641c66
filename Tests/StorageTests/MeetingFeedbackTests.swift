import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    @Test(
        "Meeting feedback: one answer per author and meeting, replaced when changed, erased with either side",
        arguments: Backend.testable)
    func meetingFeedback(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let ada = try await store.participants.insert(Fixtures.draft(1), status: .confirmed).id
            let xia = try await store.participants.insert(Fixtures.draft(2, role: .expert), status: .confirmed).id
            let noon = Date(timeIntervalSince1970: 1_800_000_000)
            let first = MeetingFeedback(
                author: ada, counterpart: xia, attendance: .held, usefulness: 4, followUp: .materialTransfer,
                comment: "Échantillons « LAM » à envoyer", recordedAt: noon)
            let changed = MeetingFeedback(
                author: ada, counterpart: xia, attendance: .counterpartAbsent, usefulness: nil, followUp: .none,
                comment: "", recordedAt: noon.addingTimeInterval(600))
            let answer = MeetingFeedback(
                author: xia, counterpart: ada, attendance: .held, usefulness: 5, followUp: .collaboration,
                comment: "", recordedAt: noon)

            // MUT
            try await store.meetingFeedback.saveFeedback(first)
            try await store.meetingFeedback.saveFeedback(answer)

            // validation
            #expect(try await store.meetingFeedback.feedback(by: ada) == [first])
            #expect(try await store.meetingFeedback.allFeedback() == [first, answer].sorted { $0.author < $1.author })
            try await store.meetingFeedback.saveFeedback(changed)
            #expect(try await store.meetingFeedback.feedback(by: ada) == [changed])
            #expect(try await store.meetingFeedback.allFeedback().count == 2)
            await #expect(throws: RepositoryError.participantNotFound(ParticipantID("p-nobody"))) {
                try await store.meetingFeedback.saveFeedback(
                    MeetingFeedback(
                        author: ada, counterpart: "p-nobody", attendance: .held, usefulness: 3, followUp: .none,
                        comment: "", recordedAt: noon))
            }
            try await store.participants.delete(id: xia)
            #expect(try await store.meetingFeedback.allFeedback().isEmpty)
        }
    }
}
