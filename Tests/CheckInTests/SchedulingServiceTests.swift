import Foundation
import Grids
import PartneringCore
import Registration
import Scheduling
import Storage
import Testing

/// The organiser's scheduling workflow (`Grids.SchedulingService`) on every store: runs,
/// adjustments and publication, each in the audit log with who did it and which version,
/// and a publication from a stale preview refused. It lives here for the stores and the
/// sample day of the live-day tests (``LiveDayTests/day(_:)``), which it starts from:
/// version 1 published, C1 meeting E1 at 09:00 and E2 at 09:50. Serialized: one fresh
/// database at a time, so that the suite adds little to the PostgreSQL connections of a full run.
@Suite("Scheduling service", .serialized)
struct SchedulingServiceTests {
    /// The service over `store`, on the desk's clock.
    static func service(_ store: PartneringStore, desk: DeskFixture) -> SchedulingService {
        let clock = desk.clock
        return SchedulingService(
            event: desk.event,
            repositories: SchedulingRepositories(
                participants: store.participants, requests: store.requests, schedules: store.schedules,
                runs: store.schedulingRuns, auditLog: store.auditLog),
            dependencies: ServiceDependencies(now: { clock.now }, randomBytes: ServiceDependencies.live.randomBytes),
            noticesQueued: NoticeSignal(), runQueued: NoticeSignal())
    }

    /// What `body` returned or threw.
    static func outcome<T: Sendable>(_ body: @Sendable () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// C1's meeting with E2 cancelled by hand.
    static func cancelC1E2(_ day: LiveDayTests.Day) -> MeetingAdjustment {
        .cancel(participants: [day.c1.id.rawValue, day.e2.id.rawValue].sorted())
    }

    @Test(
        "an adjustment saved and published is in the audit log with its organiser and version, and only the affected are told",
        arguments: Backend.testable)
    func adjustAndPublish(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let day = try await LiveDayTests.day(desk)
            let store = desk.store
            let scheduling = Self.service(store, desk: desk)

            let saved = try await scheduling.saveAdjustments([Self.cancelC1E2(day)], to: 1, by: "alice@example.org")
            #expect(saved.version == 2)
            let published = try await scheduling.publish(2, expected: .version(1), by: "bob@example.org")

            #expect(published.version.version == 2 && published.told == 2)
            #expect(try await store.schedules.published()?.info.version == 2)
            let notices = try await store.notices.claim(
                limit: 50, now: LiveDayTests.tenPastNine, leaseEnd: LiveDayTests.tenPastNine + 60)
            #expect(Set(notices.map(\.participant)) == [day.c1.id, day.e2.id])
            #expect(notices.allSatisfy { $0.kind == .agenda && $0.reference == "2" && $0.detail == "1" })
            let adjusted = try #require(try await store.auditLog.list(AuditFilter(action: "schedule.adjust")).first)
            #expect(adjusted.actor == "organiser:alice@example.org" && adjusted.subject == "2")
            #expect(adjusted.details.hasPrefix("based on 1; cancel "))
            let publication = try #require(
                try await store.auditLog.list(AuditFilter(action: "schedule.publish")).first)
            #expect(publication.actor == "organiser:bob@example.org" && publication.subject == "2")
            #expect(publication.details == "after version 1; told 2")

            // Publishing it again, or saving an empty draft, is refused with its code.
            await #expect(throws: SchedulingRefusal.alreadyPublished) {
                try await scheduling.publish(2, expected: .version(2), by: "bob@example.org")
            }
            await #expect(throws: SchedulingRefusal.nothingToSave) {
                try await scheduling.saveAdjustments([], to: 2, by: "alice@example.org")
            }
            await #expect(throws: SchedulingRefusal.versionNotFound) {
                try await scheduling.publish(9, expected: .version(2), by: "bob@example.org")
            }
            #expect(try await store.auditLog.list(AuditFilter(action: "schedule.publish")).count == 1)
        }
    }

    @Test(
        "a publication from a stale preview is refused with a clear message and publishes nothing",
        arguments: Backend.testable)
    func stalePreview(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let day = try await LiveDayTests.day(desk)
            let scheduling = Self.service(desk.store, desk: desk)
            _ = try await scheduling.saveAdjustments([Self.cancelC1E2(day)], to: 1, by: "alice@example.org")
            _ = try await scheduling.saveAdjustments(
                [.unpin(participants: [day.c2.id.rawValue, day.e1.id.rawValue].sorted())], to: 1,
                by: "alice@example.org")
            _ = try await scheduling.publish(2, expected: .version(1), by: "alice@example.org")
            let pending = try await desk.store.notices.pendingCount()

            // Bob previewed version 3 while version 1 was published.
            await #expect(throws: SchedulingRefusal.scheduleChangedMeanwhile) {
                try await scheduling.publish(3, expected: .version(1), by: "bob@example.org")
            }
            // A first-publication preview is stale once anything is published.
            await #expect(throws: SchedulingRefusal.scheduleChangedMeanwhile) {
                try await scheduling.publish(3, expected: .version(nil), by: "bob@example.org")
            }
            #expect(try await desk.store.schedules.published()?.info.version == 2)
            #expect(try await desk.store.notices.pendingCount() == pending, "no agenda queued")
            #expect(
                SchedulingRefusal.scheduleChangedMeanwhile.detail(in: .en)
                    == "Another version was published since the preview: check the new preview before going on.")
            #expect(SchedulingRefusal.scheduleChangedMeanwhile.code == "schedule_changed_meanwhile")

            // A request that names no preview publishes over whatever is published now.
            let over = try await scheduling.publish(3, expected: .whateverIsPublished, by: "bob@example.org")
            #expect(over.version.version == 3)
            #expect(try await desk.store.schedules.published()?.info.version == 3)
        }
    }

    @Test(
        "two organisers publishing from one preview on two processes: one publishes, the other is refused",
        arguments: Backend.testableSQL)
    func concurrentPublications(_ backend: Backend) async throws {
        try await DeskFixture.withStores(backend, count: 2) { stores in
            let desk = try DeskFixture(store: stores[0])
            let day = try await LiveDayTests.day(desk)
            let alice = Self.service(stores[0], desk: desk)
            let bob = Self.service(stores[1], desk: desk)
            _ = try await alice.saveAdjustments([Self.cancelC1E2(day)], to: 1, by: "alice@example.org")
            _ = try await alice.saveAdjustments(
                [.unpin(participants: [day.c2.id.rawValue, day.e1.id.rawValue].sorted())], to: 1,
                by: "alice@example.org")

            async let first = Self.outcome {
                try await alice.publish(2, expected: .version(1), by: "alice@example.org")
            }
            async let second = Self.outcome { try await bob.publish(3, expected: .version(1), by: "bob@example.org") }
            let outcomes = await [first, second]

            let refused = outcomes.compactMap { outcome -> SchedulingRefusal? in
                if case .failure(let error) = outcome { error as? SchedulingRefusal } else { nil }
            }
            #expect(refused == [.scheduleChangedMeanwhile], "\(outcomes)")
            let winner = try #require(outcomes.compactMap { try? $0.get() }.first)
            #expect(try await stores[1].schedules.published()?.info.version == winner.version.version)
            let publications = try await stores[1].auditLog.list(AuditFilter(action: "schedule.publish"))
            #expect(publications.map(\.subject) == [String(winner.version.version)])
        }
    }

    @Test(
        "runs are queued once, cancelled, and both are audited; bad time limits are refused",
        arguments: Backend.testable)
    func runs(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            _ = try await LiveDayTests.day(desk)
            let scheduling = Self.service(desk.store, desk: desk)
            for bad in [0, 601, Double.nan, .infinity] {
                await #expect(throws: SchedulingRefusal.timeLimitOutOfRange, "\(bad)") {
                    try await scheduling.startRun(timeLimit: bad, keepPublished: false, by: "alice@example.org")
                }
            }

            let run = try await scheduling.startRun(timeLimit: 30, keepPublished: true, by: "alice@example.org")
            await #expect(throws: SchedulingRefusal.runInProgress) {
                try await scheduling.startRun(timeLimit: 30, keepPublished: false, by: "bob@example.org")
            }
            let cancelled = try #require(try await scheduling.cancelRun(by: "bob@example.org"))
            #expect(cancelled.id == run.id && !cancelled.state.isActive)
            #expect(try await scheduling.cancelRun(by: "bob@example.org") == nil, "nothing left to cancel")

            let inputs = try SchedulingRunInputs.decode(run.inputs)
            #expect(inputs.basedOn == 1 && inputs.timeLimit == 30 && inputs.problem.pinned?.count == 1)
            let audit = try await desk.store.auditLog.list(.all).filter { $0.action.hasPrefix("schedule.") }
            #expect(audit.map(\.action) == ["schedule.cancel", "schedule.run"])
            #expect(audit.map(\.subject) == [run.id, run.id])
            #expect(audit.map(\.actor) == ["organiser:bob@example.org", "organiser:alice@example.org"])
            #expect(audit.last?.details.hasPrefix("time limit 30 s; keeping version 1") == true)
        }
    }

    @Test(
        "a change joins a draft only when it and the draft's changes apply; a booking without a table takes the first that fits"
    )
    func draftChanges() async throws {
        try await DeskFixture.with(.memory) { desk in
            let day = try await LiveDayTests.day(desk)
            let scheduling = Self.service(desk.store, desk: desk)
            let loaded = try await scheduling.version(1)
            let (c1, e3) = (day.c1.id.rawValue, day.e3.id.rawValue)

            var draft = try scheduling.adding(
                AdjustmentRequest(action: "cancel", first: c1, second: day.e2.id.rawValue),
                to: AdjustmentDraft(changes: []), of: loaded)
            // 09:50 at T01 is free once C1's meeting with E2 is cancelled.
            draft = try scheduling.adding(
                AdjustmentRequest(action: "book", first: c1, second: e3, slot: "d1-0950"), to: draft, of: loaded)
            #expect(draft.changes.count == 2)
            #expect(draft.changes.last == .book(participants: [c1, e3], slot: "d1-0950", table: "T01"))
            #expect(AdjustmentDraft(draft.text)?.changes == draft.changes, "the draft travels as text")

            func failure(_ request: AdjustmentRequest, on draft: AdjustmentDraft) -> AdjustmentRequest.Failure? {
                do {
                    _ = try scheduling.adding(request, to: draft, of: loaded)
                    return nil
                } catch {
                    return error
                }
            }
            // C1 meets E1 at 09:00: refused, about the pair asked for.
            guard
                case .refused(_, let pair)? = failure(
                    AdjustmentRequest(action: "book", first: c1, second: e3, slot: "d1-0900", table: "T03"), on: draft)
            else {
                Issue.record("a booking over a meeting was not refused")
                return
            }
            #expect(pair == [c1, e3])
            // A draft whose changes no longer apply is refused without a pair.
            let stale = AdjustmentDraft(changes: [.cancel(participants: ["p-gone", "p-left"])])
            guard
                case .refused(_, nil)? = failure(AdjustmentRequest(action: "cancel", first: c1, second: e3), on: stale)
            else {
                Issue.record("a stale draft was not refused")
                return
            }
            guard case .unknownAction? = failure(AdjustmentRequest(action: "swap", first: c1, second: e3), on: draft)
            else {
                Issue.record("an unknown action was not refused")
                return
            }
        }
    }
}
