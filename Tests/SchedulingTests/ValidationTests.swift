import Foundation
import Scheduling
import Testing

@Suite("Problem validation: every defect, with its JSON path")
struct ValidationTests {
    let slots = ProblemBuilder.slots(perDay: 3)

    func issues(_ document: ProblemDocument) -> [String] {
        do {
            _ = try SchedulingModel.compile(document)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    var base: ProblemDocument {
        ProblemBuilder.problem(
            slots: slots, tables: 2,
            participants: [
                .init(id: "c1", role: "company", table: "T1"), .init(id: "e1", role: "expert"),
                .init(id: "e2", role: "expert"),
            ],
            requests: [.init(from: "c1", to: "e1", priority: 1)])
    }

    @Test func aValidProblemHasNoIssue() {
        #expect(issues(base) == [])
    }

    @Test func unknownAvailableSlotIsReportedWithItsPath() {
        var document = base
        document.participants[2].available = ["d1-0900", "d1-0945"]
        #expect(issues(document) == [#"participants[2].available[1]: unknown slot "d1-0945""#])
    }

    @Test func allDefectsAreReportedAtOnce() {
        var document = base
        document.format = "partnering-problem/0"
        document.requests.append(.init(from: "c1", to: "zz", priority: 4))
        document.requests.append(.init(from: "e1", to: "e2", priority: 1))
        document.participants[1].maxMeetings = -1
        document.tables.append(.init(id: "T1"))
        let found = issues(document)
        #expect(found.contains(#"format: is "partnering-problem/0", expected "partnering-problem/1""#))
        #expect(found.contains(#"requests[1].to: unknown participant "zz""#))
        #expect(found.contains("requests[1].priority: must be 1, 2 or 3, got 4"))
        #expect(found.contains(#"requests[2]: roles "expert" and "expert" may not meet (policy.meet)"#))
        #expect(found.contains("participants[1].maxMeetings: must be 0 or more, got -1"))
        #expect(found.contains(#"tables[2].id: duplicate table id "T1""#))
        #expect(found.count == 6)
    }

    @Test func slotsMustBeOrderedAndNotOverlap() {
        var document = base
        document.slots[1].start = "2026-11-13T09:10:00+01:00"
        document.slots.swapAt(1, 2)
        let found = issues(document)
        #expect(found.contains { $0.hasPrefix("slots[2].start:") })
        var overlapping = base
        overlapping.slots[1].start = "2026-11-13T09:20:00+01:00"
        #expect(issues(overlapping) == [#"slots[1].start: "d1-0930" overlaps "d1-0900""#])
    }

    @Test func badTimesAndTimeZoneAreReported() {
        var document = base
        document.event.timezone = "Mars/Olympus"
        document.slots[0].end = "tomorrow"
        let found = issues(document)
        #expect(found.contains(#"event.timezone: "Mars/Olympus" is not an IANA time zone"#))
        #expect(found.contains(#"slots[0].end: "tomorrow" is not an ISO 8601 time with offset"#))
    }

    @Test func hostTablesMustExistAndNotBeShared() {
        var document = base
        document.participants[1].table = "T1"
        document.participants[2].table = "T9"
        let found = issues(document)
        #expect(found.contains(#"participants[1].table: host table "T1" is already the table of "c1""#))
        #expect(found.contains(#"participants[2].table: unknown table "T9""#))
    }

    @Test func requestDefects() {
        var document = base
        document.requests = [
            .init(from: "c1", to: "c1", priority: 1), .init(from: "c1", to: "e1", priority: 1),
            .init(from: "c1", to: "e1", priority: 2),
            .init(from: "e2", to: "c1", priority: 2, slots: ["d1-0900", "x"]),
        ]
        #expect(
            issues(document) == [
                #"requests[0]: "c1" cannot request a meeting with itself"#,
                #"requests[2]: duplicate request from "c1" to "e1""#,
                #"requests[3].slots[1]: unknown slot "x""#,
            ])
    }

    @Test func infeasiblePinsAreReportedLikeOtherDefects() {
        var document = base
        document.participants[1].available = ["d1-0900"]
        document.requests.append(.init(from: "c1", to: "e2", priority: 2))
        document.pinned = [
            .init(participants: ["e1", "c1"], slot: "d1-0930"),
            .init(participants: ["c1", "e2"], slot: "d1-0930"),
            .init(participants: ["e1", "e2"], slot: "d1-0900"),
            .init(participants: ["c1", "e2"], slot: "d1-1000", table: "T2"),
        ]
        let found = issues(document)
        #expect(found.contains { $0.hasPrefix("pinned[0].slot:") && $0.contains("cannot meet in \"d1-0930\"") })
        #expect(found.contains(#"pinned[1]: "c1" is already pinned in "d1-0930" by pinned[0]"#))
        #expect(found.contains(#"pinned[2]: "e1" and "e2" have no request between them"#))
        #expect(found.contains(#"pinned[3]: "c1" and "e2" are already pinned by pinned[1]"#))
    }

    @Test func pinsBeyondTheFreeTablesOrAtAnotherHostTable() {
        var document = base
        document.participants.append(.init(id: "c2", role: "company"))
        document.requests.append(.init(from: "c2", to: "e2", priority: 1))
        document.requests.append(.init(from: "c2", to: "e1", priority: 1))
        document.pinned = [.init(participants: ["c2", "e2"], slot: "d1-0900", table: "T1")]
        #expect(issues(document) == [#"pinned[0].table: "T1" is another participant's host table"#])
        document.tables = [.init(id: "T1")]
        document.pinned = [.init(participants: ["c2", "e2"], slot: "d1-0900")]
        #expect(issues(document).first?.contains("more pinned meetings without a host") == true)
    }

    @Test func decodingErrorsCarryTheirPath() throws {
        let json =
            #"{"format":"partnering-problem/1","event":{"name":"x","timezone":"UTC"},"slots":[],"tables":[],"#
            + #""participants":[{"id":"a","role":"company"},{"id":"b"}],"requests":[]}"#
        #expect(throws: InvalidProblem.self) { try ProblemDocument.decode(from: Data(json.utf8)) }
        do {
            _ = try ProblemDocument.decode(from: Data(json.utf8))
        } catch {
            #expect(error.issues.map(\.description) == ["participants[1].role: required field is missing"])
        }
    }
}
