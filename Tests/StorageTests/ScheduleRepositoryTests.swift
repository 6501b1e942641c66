import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    private static func meetings(count: Int) -> [Meeting] {
        (0..<count).map { index in
            Meeting(
                ParticipantID("p-\(index % 37)"), ParticipantID("e-\(index % 41)"),
                slot: SlotID("d1-\(String(format: "%04d", 900 + index / 40))"),
                table: TableID("t-\(String(format: "%02d", index % 40))"))
        }
    }

    @Test("Schedule versions are numbered, kept whole and published", arguments: Backend.testable)
    func schedules(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            // setup: a large version crosses the insert batches.
            let large = Self.meetings(count: 1_234).shuffled()
            let small = [Meeting("p-2", "e-1", slot: "d1-0900", table: "t-01")]
            #expect(try await store.schedules.latest() == nil)

            // MUT
            let first = try await store.schedules.save(
                ScheduleDraft(
                    meetings: large, objective: 1_180, upperBound: 1_200, label: "Première version",
                    summaryJSON: #"{"seconds":12.5,"unscheduled":54}"#, createdAt: Fixtures.start))
            let second = try await store.schedules.save(
                ScheduleDraft(meetings: small, objective: 3, createdAt: Fixtures.start.addingTimeInterval(60)))

            // validation
            #expect(first.info.version == 1)
            #expect(second.info.version == 2)
            #expect(first.meetings == large.sorted(by: Meeting.scheduleOrder))
            #expect(try await store.schedules.version(1) == first)
            #expect(try await store.schedules.latest() == second)
            #expect(try await store.schedules.versions() == [first.info, second.info])
            #expect(try await store.schedules.version(3) == nil)
            #expect(try await store.schedules.published() == nil)

            let published = try await store.schedules.publish(1, at: Fixtures.start.addingTimeInterval(120))
            #expect(published.publishedAt == Fixtures.start.addingTimeInterval(120))
            #expect(try await store.schedules.published()?.info == published)
            _ = try await store.schedules.publish(2, at: Fixtures.start.addingTimeInterval(180))
            #expect(try await store.schedules.published()?.info.version == 2)
            await #expect(throws: RepositoryError.scheduleVersionNotFound(9)) {
                try await store.schedules.publish(9, at: Fixtures.start)
            }

            // Two re-plans made from version 2: the first publishes, the second finds
            // version 3 published meanwhile and publishes nothing.
            for _ in 0..<2 {
                _ = try await store.schedules.save(
                    ScheduleDraft(meetings: small, objective: 3, createdAt: Fixtures.start.addingTimeInterval(200)))
            }
            _ = try await store.schedules.publish(
                3, at: Fixtures.start.addingTimeInterval(240), followUp: .none, expectedPublished: 2)
            await #expect(throws: RepositoryError.publishedVersionChanged(expected: 2, found: 3)) {
                try await store.schedules.publish(
                    4, at: Fixtures.start.addingTimeInterval(300), followUp: .none, expectedPublished: 2)
            }
            #expect(try await store.schedules.published()?.info.version == 3)
            #expect(try await store.schedules.version(4)?.info.publishedAt == nil)

            let own = try await store.schedules.meetings(of: "p-3", inVersion: 1)
            #expect(own == large.filter { $0.involves("p-3") }.sorted(by: Meeting.scheduleOrder))
            #expect(!own.isEmpty)
        }
    }
}
