import Foundation
import PartneringCore
import Registration
import Testing

@Suite("Dispatching notices")
struct NoticeDispatcherTests {
    /// A mail layer that never finishes a batch until it is cancelled: a dispatcher starved
    /// of CPU on a loaded machine, as the shutdown flush must bear it.
    struct StuckNotifier: Notifier {
        func deliver(_ notices: [Notice]) async throws {
            while true { try await Task.sleep(for: .seconds(60)) }
        }
    }

    // The limit only turns a flush that never gives up into a failure instead of a hang.
    @Test(
        "a shutdown flush gives up at its budget, writes nothing half and leaves the notices due",
        .timeLimit(.minutes(2)))
    func flushGivesUpAtItsBudget() async throws {
        let fixture = try await Fixture.make()
        for index in 1...3 {
            _ = try await fixture.register("Déléguée \(index)", "delegate\(index)@example.org")
        }
        let stuck = NoticeDispatcher(service: fixture.service, notifier: StuckNotifier())

        // Returns although the batch would never end: the process exits in its grace period.
        try await stuck.flush(within: .milliseconds(200))

        // The batch was released rather than left leased: the next dispatcher writes all of it now.
        #expect(try await fixture.store.notices.pendingCount() == 3)
        let written = await fixture.notices.notices
        #expect(written.count == 3)
        #expect(try await fixture.store.notices.pendingCount() == 0)
    }
}
