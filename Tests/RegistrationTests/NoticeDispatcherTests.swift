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
            try await Task.sleep(for: .seconds(3600))
        }
    }

    @Test("a shutdown flush gives up at its budget, writes nothing half and leaves the notices due")
    func flushGivesUpAtItsBudget() async throws {
        let fixture = try await Fixture.make()
        for index in 1...3 {
            _ = try await fixture.register("Déléguée \(index)", "delegate\(index)@example.org")
        }
        let stuck = NoticeDispatcher(service: fixture.service, notifier: StuckNotifier())

        let clock = ContinuousClock()
        let began = clock.now
        try await stuck.flush(within: .milliseconds(200))
        // Far from the hour the batch would have taken: the process exits in its grace period.
        #expect(clock.now - began < .seconds(30))

        // The batch was released rather than left leased: the next dispatcher writes all of it now.
        #expect(try await fixture.store.notices.pendingCount() == 3)
        let written = await fixture.notices.notices
        #expect(written.count == 3)
        #expect(try await fixture.store.notices.pendingCount() == 0)
    }
}
