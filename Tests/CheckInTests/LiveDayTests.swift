import CheckIn
import Foundation
import Grids
import PartneringCore
import Registration
import Scheduling
import Storage
import Testing

/// The day itself on every store: absences, the re-plan of the rest of the day and what it
/// publishes, the live status, the desk's card after a re-plan.
@Suite("Live day")
struct LiveDayTests {
    /// 09:10 in Paris on the day of the sample event: the 09:00 slot has begun.
    static let tenPastNine = ISO8601DateFormatter().date(from: "2027-03-18T08:10:00Z") ?? Date()

    /// Two companies and three experts with requests, and a published schedule (version 1)
    /// in which C1 may have two meetings and has E1 at 09:00 and E2 at 09:50; C2 has E3 at
    /// 09:00 and E1 at 09:25 (pinned). C1's request to E3 is unmet: C1 is at its cap.
    struct Day {
        let desk: DeskFixture
        let live: LiveDayService
        let c1: Participant, c2: Participant, e1: Participant, e2: Participant, e3: Participant
        let version1: [ScheduleDocument.Meeting]
    }

    static func day(_ desk: DeskFixture) async throws -> Day {
        let store = desk.store
        func person(_ name: String, _ role: Role, cap: Int? = nil) async throws -> Participant {
            var participant = try await desk.participant(name, role: role)
            if let cap {
                participant.maxMeetings = cap
                participant = try await store.participants.update(participant)
            }
            return participant
        }
        let c1 = try await person("Camille Un", .company, cap: 2)
        let c2 = try await person("Claude Deux", .company)
        let e1 = try await person("Eva Un", .expert)
        let e2 = try await person("Elie Deux", .expert)
        let e3 = try await person("Emma Trois", .expert)
        for (number, (from, to, priority)) in [
            (c1, e1, 1), (c1, e2, 1), (c1, e3, 3), (c2, e1, 1), (c2, e3, 1),
        ].enumerated() {
            _ = try await store.requests.create(
                MeetingRequest(
                    id: RequestID("r-\(number)-\(UUID().uuidString.prefix(8))"), from: from.id, to: to.id,
                    priority: Priority(rawValue: priority) ?? .first, message: "", status: .accepted,
                    createdAt: DeskFixture.morning.addingTimeInterval(-86_400)),
                openRequestLimit: nil)
        }
        func meeting(_ a: Participant, _ b: Participant, _ slot: String, _ table: String) -> ScheduleDocument.Meeting {
            .init(participants: [a.id.rawValue, b.id.rawValue].sorted(), slot: slot, table: table)
        }
        let meetings = [
            meeting(c1, e1, "d1-0900", "T01"), meeting(c2, e3, "d1-0900", "T02"), meeting(c2, e1, "d1-0925", "T01"),
            meeting(c1, e2, "d1-0950", "T01"),
        ]
        var problem = ProblemDocument(
            event: desk.event, participants: try await store.participants.list(.all),
            requests: try await store.requests.list(.all))
        problem.pinned = [.init(participants: [c2.id.rawValue, e1.id.rawValue], slot: "d1-0925", table: "T01")]
        let record = RunRecord(origin: .run, problem: problem, organiser: "alice")
        let saved = try await store.schedules.save(
            ScheduleDraft(
                meetings: meetings.map(StoredSchedule.meeting), objective: 10, summaryJSON: try record.json(),
                createdAt: DeskFixture.morning.addingTimeInterval(-3_600)))
        _ = try await store.schedules.publish(saved.info.version, at: DeskFixture.morning.addingTimeInterval(-3_600))
        desk.clock.set(tenPastNine)
        let clock = desk.clock
        let live = LiveDayService(
            event: desk.event,
            repositories: LiveDayRepositories(
                participants: store.participants, requests: store.requests, schedules: store.schedules,
                checkIns: store.checkIns, absences: store.absences, auditLog: store.auditLog),
            dependencies: ServiceDependencies(now: { clock.now }, randomBytes: ServiceDependencies.live.randomBytes),
            noticesQueued: NoticeSignal())
        return Day(desk: desk, live: live, c1: c1, c2: c2, e1: e1, e2: e2, e3: e3, version1: meetings)
    }

    private static func pairs(_ meetings: [ScheduleDocument.Meeting]) -> Set<[String]> {
        Set(meetings.map { $0.participants.sorted() })
    }

    @Test(
        "an absent expert's remaining meetings go, held and pinned ones stay, the freed cap meets an unmet request, and only the affected are told",
        arguments: Backend.testable)
    func replanWithoutAnAbsentExpert(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let day = try await Self.day(desk)
            let store = desk.store

            // MUT
            let absence = try await day.live.markAbsent(day.e2.id.rawValue, by: "alice")

            // validation
            #expect(absence.markedAt == Self.tenPastNine)
            #expect(try await day.live.absences().map(\.participant) == [day.e2.id])
            let preview = try await day.live.preview()
            #expect(try await store.schedules.published()?.info.version == 1, "a preview publishes nothing")
            #expect(try await store.notices.pendingCount() == 0)
            #expect(preview.basedOn == 1)
            #expect(preview.firstOpenSlot == "d1-0925")
            #expect(Self.pairs(preview.cancelled) == [[day.c1.id.rawValue, day.e2.id.rawValue].sorted()])
            #expect(Set(preview.held) == Set(day.version1.filter { $0.slot == "d1-0900" }), "09:00 has begun")
            let after = preview.schedule.meetings
            for held in day.version1.filter({ $0.slot == "d1-0900" }) { #expect(after.contains(held)) }
            #expect(after.contains(day.version1[2]), "the pinned meeting stays in its slot, at its table")
            #expect(!after.contains { $0.participants.contains(day.e2.id.rawValue) && $0.slot != "d1-0900" })
            let added = try #require(
                after.first { $0.participants.sorted() == [day.c1.id.rawValue, day.e3.id.rawValue].sorted() })
            #expect(added.slot != "d1-0900", "never in a slot that has begun")
            #expect(preview.affected == [day.c1.id, day.e2.id, day.e3.id].sorted())

            // MUT
            let applied = try await day.live.apply(basedOn: 1, by: "alice")

            // validation
            let version = try #require(applied.version)
            let published = try #require(try await store.schedules.published())
            #expect(published.info.version == version)
            #expect(Set(StoredSchedule.document(published).meetings) == Set(after))
            let notices = try await store.notices.claim(
                limit: 50, now: Self.tenPastNine, leaseEnd: Self.tenPastNine + 60)
            #expect(notices.allSatisfy { $0.kind == .agenda && $0.reference == String(version) && $0.detail == "1" })
            #expect(Set(notices.map(\.participant)) == Set([day.c1.id, day.e2.id, day.e3.id]), "only the affected")
            #expect(notices.count == 3)
            let audit = try await store.auditLog.list(.all).map(\.action)
            #expect(audit.contains("day.absent") && audit.contains("day.replan"))

            // The desk's card shows C1's meetings as they stand now: the one under way, then E3.
            let card = try await desk.service.arrivalCard(for: day.c1, at: Self.tenPastNine)
            #expect(card.meetings.map(\.counterpart) == [day.e1.name, day.e3.name])

            // A stale preview is refused. E2 arrives late and is brought back (audited): the next
            // re-plan gives C1's remaining meeting back to E2, C1's first choice over E3.
            await #expect(throws: SchedulingRefusal.scheduleChangedMeanwhile) {
                try await day.live.apply(basedOn: 1, by: "alice")
            }
            #expect(try await day.live.bringBack(day.e2.id.rawValue, by: "alice"))
            #expect(try await day.live.bringBack(day.e2.id.rawValue, by: "alice") == false)
            #expect(try await store.auditLog.list(.all).map(\.action).contains("day.present"))
            let back = try await day.live.preview()
            #expect(back.basedOn == version && back.cancelled.isEmpty)
            #expect(Self.pairs(back.changes.added) == [[day.c1.id.rawValue, day.e2.id.rawValue].sorted()])
            #expect(Set(back.held) == Set(day.version1.filter { $0.slot == "d1-0900" }))
            await #expect(throws: Refusal.participantNotFound) { try await day.live.markAbsent("nobody", by: "alice") }
        }
    }

    @Test(
        "the live status counts arrivals and lists the missing, the late and the meetings at risk",
        arguments: Backend.testable)
    func status(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let day = try await Self.day(desk)
            for person in [day.c1, day.c2] {
                let token = try await desk.issuance.issue(to: person, actor: "test").ticket.token
                _ = try await desk.service.scan(token, desk: "A", nonce: DeskFixture.nonce())
            }
            _ = try await day.live.markAbsent(day.e2.id.rawValue, by: "alice")

            // MUT
            let status = try await day.live.status()

            // validation
            #expect(status.arrived == 2 && status.expected == 5)
            #expect(status.roles.map(\.key) == ["company", "expert"])
            #expect(status.roles.map(\.arrived) == [2, 0])
            #expect(status.atRiskMinutes == EventDefinition.defaultAtRiskMinutes)
            #expect(Set(status.missing.map(\.id)) == [day.e1.id, day.e3.id], "not here, first meeting begun")
            #expect(Set(status.late.map(\.id)) == [day.e1.id, day.e3.id])
            #expect(status.absent.map(\.id) == [day.e2.id])
            #expect(status.nextSlots.map(\.slot) == ["d1-0925", "d1-0950", "d1-1015"])
            #expect(status.nextSlots[0].meetings.map(\.missing) == [[day.e1.id]], "C2–E1 at 09:25")
            #expect(status.nextSlots[1].meetings.isEmpty, "E2 is marked absent, not missing")
        }
    }
}
