import Foundation
import Scheduling
import Testing

@testable import Grids

@Suite struct GridModelTests {
    @Test func groupsSlotsIntoDaysAndSessionsInTheEventZone() throws {
        let model = try GridFixture.model()
        #expect(model.days.map(\.date) == ["2026-11-13", "2026-11-14"])
        #expect(model.days[0].sessions.map(\.label) == ["09:00–10:30", "14:00–15:00"])
        #expect(model.days[0].sessions.map(\.slots) == [0..<3, 3..<5])
        #expect(model.days[1].sessions.map(\.slots) == [5..<7])
        #expect(model.slots.map(\.startText) == ["09:00", "09:30", "10:00", "14:00", "14:30", "09:00", "09:30"])
    }

    @Test func putsEachMeetingInItsCellWithTheCompanyFirst() throws {
        let model = try GridFixture.model()
        let names = { (slot: Int, table: Int) -> [String]? in
            model.meeting(slot: slot, table: table).map {
                [model.participants[$0.first].name, model.participants[$0.second].name]
            }
        }
        #expect(names(0, 0) == [GridFixture.scriptName, "Marie Curie"])
        #expect(names(0, 1) == ["Hélène Dupré", "O'Brien & Sons"])
        #expect(names(1, 2) == ["Host Co", "O'Brien & Sons"])
        #expect(names(3, 0) == ["Hélène Dupré", "Marie Curie"])
        #expect(names(5, 2) == ["Host Co", "Marie Curie"])
        #expect(names(1, 0) == nil)
        #expect(model.meetings.map(\.slot) == [0, 0, 1, 3, 5])
    }

    @Test func marksPinnedMutualAndPriority() throws {
        let model = try GridFixture.model()
        let first = try #require(model.meeting(slot: 0, table: 0))
        #expect(first.pinned && first.mutual && first.priority == 1)
        let hosted = try #require(model.meeting(slot: 5, table: 2))
        #expect(!hosted.pinned && !hosted.mutual && hosted.priority == 3)
        #expect(model.tables[2].host == model.participantIndex["c3"])
    }

    @Test func listsOnlyThoseWithARequestAndNoMeetingWithTheScheduleReasons() throws {
        let model = try GridFixture.model()
        #expect(model.withoutMeeting.map { model.participants[$0.participant].id } == ["c4"])
        let requests = try #require(model.withoutMeeting.first?.requests)
        #expect(requests.map { model.participants[$0.counterpart].id } == ["e1", "e2"])
        #expect(requests.map(\.sent) == [true, false])
        #expect(requests.map(\.priority) == [1, 2])
        #expect(requests.allSatisfy { $0.reasons.map(\.kind) == ["noCommonAvailableSlot"] })
    }

    @Test func countsSatisfiedRequestsPerPriority() throws {
        let model = try GridFixture.model()
        let counts = model.satisfaction.map { [$0.priority, $0.met, $0.requested] }
        #expect(counts == [[1, 3, 4], [2, 2, 3], [3, 1, 1]])
    }

    @Test func withoutExplanationTheListHasNoReasons() throws {
        let model = try GridModel(problem: GridFixture.problem, schedule: GridFixture.schedule)
        #expect(!model.hasExplanation)
        #expect(model.withoutMeeting.first?.requests.allSatisfy(\.reasons.isEmpty) == true)
    }

    @Test(arguments: [
        (["c1", "e9"], "d1-0900", "T1", "meetings[0].participants[1]", "unknown participant \"e9\""),
        (["c1", "e1"], "d9-0900", "T1", "meetings[0].slot", "unknown slot \"d9-0900\""),
        (["c1", "e1"], "d1-0900", "T7", "meetings[0].table", "unknown table \"T7\""),
        (["c1"], "d1-0900", "T1", "meetings[0].participants", "expected two participants, found 1"),
    ])
    func rejectsAScheduleWithUnknownIds(
        participants: [String], slot: String, table: String, path: String, message: String
    ) {
        let schedule = ScheduleDocument(
            meetings: [.init(participants: participants, slot: slot, table: table)], objective: 0)
        #expect(throws: GridInputError(.schedule, path, message)) {
            try GridModel(problem: GridFixture.problem, schedule: schedule)
        }
    }

    @Test func rejectsTwoMeetingsAtOneTableInOneSlot() {
        var schedule = GridFixture.schedule
        schedule.meetings.append(.init(participants: ["c3", "e2"], slot: "d2-0900", table: "T3"))
        #expect(
            throws: GridInputError(
                .schedule, "meetings[5].table", "table \"T3\" already holds meetings[0] in this slot")
        ) {
            try GridModel(problem: GridFixture.problem, schedule: schedule)
        }
    }

    @Test func rejectsAParticipantInTwoMeetingsOfOneSlot() {
        var schedule = GridFixture.schedule
        schedule.meetings.append(.init(participants: ["c2", "e1"], slot: "d1-0900", table: "T3"))
        #expect(
            throws: GridInputError(
                .schedule, "meetings[5].slot", "\"c2\" already meets in this slot (meetings[2])")
        ) {
            try GridModel(problem: GridFixture.problem, schedule: schedule)
        }
    }

    @Test func rejectsAnUnknownTimeZoneAndUnreadableDates() {
        var problem = GridFixture.problem
        problem.event.timezone = "Europe/Atlantis"
        #expect(throws: GridInputError(.problem, "event.timezone", "unknown time zone \"Europe/Atlantis\"")) {
            try GridModel(problem: problem, schedule: GridFixture.schedule)
        }
        problem = GridFixture.problem
        problem.slots[2].start = "13/11/2026 10:00"
        #expect(
            throws: GridInputError(.problem, "slots[2].start", "expected an ISO 8601 date-time with offset")
        ) {
            try GridModel(problem: problem, schedule: GridFixture.schedule)
        }
    }

    @Test func rejectsAnExplanationAboutUnknownParticipants() throws {
        let explanation = try JSONDecoder().decode(
            ExplanationDocument.self,
            from: Data(
                #"{"unscheduled":[{"participants":["c4","zz"],"requests":[],"weight":1,"reasons":[]}]}"#.utf8))
        #expect(
            throws: GridInputError(.explanation, "unscheduled[0].participants[1]", "unknown participant \"zz\"")
        ) {
            try GridModel(problem: GridFixture.problem, schedule: GridFixture.schedule, explanation: explanation)
        }
    }
}
