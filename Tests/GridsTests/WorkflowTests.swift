import Foundation
import PartneringCore
import Scheduling
import Testing
import ThreadSupport

@testable import Grids

@Suite struct MeetingAdjustmentTests {
    private let problem = GridFixture.problem
    private let schedule = GridFixture.schedule

    private func refusal(_ adjustment: MeetingAdjustment) -> String? {
        do {
            _ = try adjustment.apply(to: schedule, of: problem)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aMoveToAFreeSlotAndTableIsKeptWithEverythingElse() throws {
        let (moved, _) = try MeetingAdjustment.move(participants: ["e1", "c2"], slot: "d1-1000", table: "T2")
            .apply(to: schedule, of: problem)
        #expect(moved.meetings.count == schedule.meetings.count)
        let meeting = try #require(moved.meetings.first { Set($0.participants) == ["c2", "e1"] })
        #expect(meeting.slot == "d1-1000" && meeting.table == "T2")
        #expect(moved.objective == schedule.objective)
    }

    @Test func movesThatBreakAConstraintAreRefusedWithTheReason() {
        #expect(
            refusal(.move(participants: ["c3", "e1"], slot: "d1-0900", table: "T3"))
                == "Marie Curie already meets c1 in d1-0900")
        #expect(
            refusal(.move(participants: ["c2", "e1"], slot: "d2-0930", table: "T1"))
                == "Hélène Dupré is not available in d2-0930")
        #expect(
            refusal(.move(participants: ["c2", "e1"], slot: "d1-1000", table: "T3"))
                == "table T3 is the host table of Host Co")
        #expect(
            refusal(.move(participants: ["c3", "e2"], slot: "d1-1000", table: "T1"))
                == "Host Co meets only at the host table T3")
        #expect(
            refusal(.move(participants: ["c2", "e1"], slot: "d2-0900", table: "T1"))
                == "Marie Curie already meets c3 in d2-0900")
        #expect(
            refusal(.move(participants: ["c1", "e1"], slot: "d1-1000", table: "T1"))
                == "the meeting is pinned in d1-0900: unpin it first")
        #expect(
            refusal(.move(participants: ["c2", "e1"], slot: "d9-0900", table: "T1")) == "unknown slot \"d9-0900\"")
        #expect(
            refusal(.move(participants: ["c4", "e1"], slot: "d1-1000", table: "T1"))
                == "c4 and e1 have no meeting in this version")
    }

    @Test func aTableTakenInTheSlotIsRefused() {
        #expect(
            refusal(.move(participants: ["c2", "e1"], slot: "d1-0900", table: "T2"))
                == "Hélène Dupré already meets e2 in d1-0900")
        var busy = schedule
        busy.meetings.append(.init(participants: ["c1", "e2"], slot: "d1-1000", table: "T2"))
        #expect(throws: MeetingAdjustment.Refusal.tableTaken(table: "T2", slot: "d1-1000", by: ["c1", "e2"])) {
            try MeetingAdjustment.move(participants: ["c2", "e1"], slot: "d1-1000", table: "T2")
                .apply(to: busy, of: problem)
        }
    }

    @Test func aDraftOfSeveralChangesAppliesInOrderAndNamesTheFirstRefusal() throws {
        let draft: [MeetingAdjustment] = [
            .cancel(participants: ["c2", "e1"]), .move(participants: ["c3", "e1"], slot: "d1-1000", table: "T3"),
        ]
        let (after, _) = try MeetingAdjustment.apply(draft, to: schedule, of: problem)
        #expect(after.meetings.count == schedule.meetings.count - 1)
        #expect(after.meetings.contains { Set($0.participants) == ["c3", "e1"] && $0.slot == "d1-1000" })
        #expect(throws: MeetingAdjustment.Refusal.noMeeting(participants: ["c2", "e1"])) {
            try MeetingAdjustment.apply(
                draft + [.pin(participants: ["c2", "e1"], withTable: true)], to: schedule, of: problem)
        }
    }

    @Test func aBookedMeetingAddsItsWeightAndFollowsTheRules() throws {
        let (cancelled, _) = try MeetingAdjustment.cancel(participants: ["c2", "e1"]).apply(to: schedule, of: problem)
        let (booked, _) = try MeetingAdjustment.book(participants: ["c2", "e1"], slot: "d1-1000", table: "T2")
            .apply(to: cancelled, of: problem)
        #expect(booked.objective == schedule.objective)
        #expect(throws: MeetingAdjustment.Refusal.alreadyMeeting(participants: ["c2", "e1"], slot: "d1-1000")) {
            try MeetingAdjustment.book(participants: ["c2", "e1"], slot: "d1-1400", table: "T1").apply(
                to: booked, of: problem)
        }
        #expect(refusal(.book(participants: ["c2", "c2"], slot: "d1-1000", table: "T2")) != nil)
    }

    @Test func openPlacesAreThoseWhereAMoveIsAccepted() throws {
        let places = MeetingAdjustment.openPlaces(for: ["c2", "e1"], in: schedule, of: problem, limit: 10)
        #expect(!places.isEmpty)
        for place in places {
            #expect(
                refusal(.move(participants: ["c2", "e1"], slot: place.slot, table: place.table)) == nil,
                "\(place.slot) \(place.table)")
        }
    }

    @Test func cancelRemovesTheMeetingItsWeightAndItsPin() throws {
        let (after, changedProblem) = try MeetingAdjustment.cancel(participants: ["c1", "e1"])
            .apply(to: schedule, of: problem)
        #expect(after.meetings.count == 4)
        #expect(!after.meetings.contains { Set($0.participants) == ["c1", "e1"] })
        #expect(after.objective == schedule.objective - 5)
        #expect(changedProblem.pinned == nil)
    }

    @Test func pinAndUnpinChangeOnlyTheProblemsPins() throws {
        let (same, pinned) = try MeetingAdjustment.pin(participants: ["c2", "e2"], withTable: false)
            .apply(to: schedule, of: problem)
        #expect(same == schedule)
        #expect(pinned.pinned?.contains(.init(participants: ["c2", "e2"], slot: "d1-0900", table: nil)) == true)
        let (_, unpinned) = try MeetingAdjustment.unpin(participants: ["e2", "c2"]).apply(to: schedule, of: pinned)
        #expect(unpinned.pinned == problem.pinned)
        #expect(refusal(.unpin(participants: ["c3", "e2"])) == "the meeting of c3 and e2 is not pinned")
    }
}

@Suite struct ScheduleComparisonTests {
    @Test func sortsMeetingsIntoKeptMovedDroppedAndAdded() {
        let before = GridFixture.schedule
        var after = before
        after.meetings[4].slot = "d1-1000"
        after.meetings.remove(at: 3)
        after.meetings.append(.init(participants: ["e2", "c1"], slot: "d1-1400", table: "T2"))
        let changes = ScheduleComparison(from: before, to: after)
        #expect(changes.kept.count == 3)
        #expect(changes.moved.map(\.after.participants) == [["c2", "e1"]])
        #expect(changes.moved.map(\.before.slot) == ["d1-1400"])
        #expect(changes.dropped.map(\.participants) == [["c3", "e2"]])
        #expect(changes.added.map(\.participants) == [["e2", "c1"]])
        #expect(changes.affectedParticipants == ["c1", "c2", "c3", "e1", "e2"])
    }
}

private func currentThreadName() -> String? { CurrentThread.name }

@Suite struct SchedulingJobTests {
    private func wait(_ job: SchedulingJob) async throws -> SchedulingOutcome {
        for _ in 0..<600 {
            if case .finished(let outcome) = job.current { return outcome }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw GridFixture.FixtureError.inconsistent
    }

    @Test func runsInTheBackgroundOnItsOwnThreadAndReportsTheOutcomeOnce() async throws {
        let reported = AsyncStream<(meetings: Int, thread: String?)>.makeStream()
        let job = try SchedulingJob(
            id: "a", problem: GridFixture.problem, options: SchedulerOptions(timeLimit: 2)
        ) { outcome in
            reported.continuation.yield((outcome.result.schedule.meetings.count, currentThreadName()))
            reported.continuation.finish()
        }
        let outcome = try await wait(job)
        #expect(!job.isRunning && !outcome.cancelled)
        // Every request pair except c4's (no common slot) fits: five meetings, c4's two requests explained.
        #expect(outcome.result.schedule.meetings.count == 5)
        #expect(outcome.explanation.map(\.participants) == [["c4", "e1"], ["c4", "e2"]])
        var reports: [(meetings: Int, thread: String?)] = []
        for await report in reported.stream { reports.append(report) }
        #expect(reports.map(\.meetings) == [5])
        // The solver and then onFinish ran on the run's own thread, not on the cooperative pool.
        #expect(reports.map(\.thread) == ["scheduler"])
    }

    @Test func refusesAnInvalidProblemWithItsDefects() {
        var problem = GridFixture.problem
        problem.requests.append(.init(from: "c1", to: "zz", priority: 1))
        #expect(throws: InvalidProblem.self) {
            try SchedulingJob(id: "b", problem: problem, options: SchedulerOptions(timeLimit: 1))
        }
    }

    @Test func cancelStopsTheRunAndKeepsTheBestSoFar() async throws {
        // A regional event (900 participants) keeps the search busy well past the cancel.
        let instance = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/bench/instances/regional-1.json")
        let problem = try ProblemDocument.decode(from: try Data(contentsOf: instance))
        let job = try SchedulingJob(id: "c", problem: problem, options: SchedulerOptions(timeLimit: 120))
        // The organiser's page polls the progress while the run's thread searches.
        var progress: SolverProgress?
        for _ in 0..<500 where progress == nil {
            if case .running(let reported) = job.current { progress = reported }
            if progress == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(progress != nil, "no progress reported within 10 s")
        #expect(job.isRunning)
        job.cancel()
        let outcome = try await wait(job)
        // Cancelled means the solver reported that it stopped before its work was done
        // (`summary.stoppedEarly`), not merely that a cancel was asked for: no wall-clock
        // bound, which a loaded machine would break.
        #expect(outcome.cancelled)
        #expect(outcome.result.summary.stoppedEarly)
        #expect(outcome.result.schedule.meetings.count > 0)
    }

    @Test func aRunThatEndsBeforeTheCancelIsNotCancelled() async throws {
        let job = try SchedulingJob(id: "d", problem: GridFixture.problem, options: SchedulerOptions(timeLimit: 5))
        let outcome = try await wait(job)
        job.cancel()
        #expect(!outcome.cancelled)
    }
}
