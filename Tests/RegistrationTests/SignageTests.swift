import Foundation
import PartneringCore
import Registration
import Storage
import Testing

@Suite("Hall boards")
struct SignageTests {
    private func boards(_ fixture: Fixture) -> SignageBoards {
        SignageBoards(
            event: fixture.service.event, boards: fixture.store.signageBoards,
            signer: fixture.service.signer, dependencies: fixture.service.dependencies)
    }

    /// The token part of a board's path.
    private func token(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }

    @Test("a board's address opens it until it is revoked; other tokens never do")
    func tokenLifecycle() async throws {
        let fixture = try await Fixture.make()
        let boards = boards(fixture)

        // MUT
        let hallA = try await boards.create(name: "  Hall A ", firstTable: "1", lastTable: "10", by: "alice")
        let hallB = try await boards.create(name: "Hall B", firstTable: "", lastTable: "", by: "alice")

        // validation
        #expect(hallA.board.name == "Hall A")
        #expect(hallA.board.tables == 1...10)
        #expect(hallB.board.tables == 1...fixture.service.event.tables.count, "empty bounds: every table")
        #expect(hallA.path.hasPrefix("/board/\(hallA.board.id)/"))
        #expect(token(hallA.path).count == 22, "16 bytes in base64url")
        #expect(try await boards.list().map(\.path) == [hallA.path, hallB.path])
        #expect(try await boards.board(id: hallA.board.id, token: token(hallA.path)) == hallA.board)
        #expect(try await boards.board(id: hallA.board.id, token: token(hallB.path)) == nil, "B's token")
        #expect(try await boards.board(id: hallA.board.id, token: String(token(hallA.path).dropLast()) + "A") == nil)
        #expect(try await boards.board(id: hallA.board.id, token: "") == nil)
        #expect(try await boards.board(id: "unknown", token: token(hallA.path)) == nil)
        let calendarToken = PrivateAddressTokens(purpose: "calendar-feed", signer: fixture.service.signer)
            .token(subject: hallA.board.id, secret: hallA.board.secret)
        #expect(try await boards.board(id: hallA.board.id, token: calendarToken) == nil, "another purpose")

        try await boards.revoke(id: hallA.board.id, by: "alice")
        #expect(try await boards.board(id: hallA.board.id, token: token(hallA.path)) == nil)
        #expect(try await boards.board(id: hallB.board.id, token: token(hallB.path)) == hallB.board)
        await #expect(throws: Refusal.notFound) { try await boards.revoke(id: hallA.board.id, by: "alice") }
        let audit = try await fixture.store.auditLog.list(AuditFilter(subject: hallA.board.id))
        #expect(Set(audit.map(\.action)) == ["board.create", "board.revoke"])
        #expect(audit.allSatisfy { $0.actor == "organiser:alice" })
    }

    @Test(
        "a board's form is refused field by field",
        arguments: [
            ("", "1", "2", [FieldIssue("name", .required)]),
            (String(repeating: "x", count: 81), "1", "2", [FieldIssue("name", .tooLong(max: 80))]),
            ("Hall", "one", "2", [FieldIssue("firstTable", .notANumber)]),
            ("Hall", "0", "2", [FieldIssue("firstTable", .outOfRange(min: 1, max: 40))]),
            ("Hall", "1", "41", [FieldIssue("lastTable", .outOfRange(min: 1, max: 40))]),
            ("Hall", "9999999999999999999999", "2", [FieldIssue("firstTable", .notANumber)]),
            ("Hall", "12", "3", [FieldIssue("lastTable", .outOfRange(min: 12, max: 40))]),
        ])
    func refusals(name: String, first: String, last: String, issues: [FieldIssue]) async throws {
        let fixture = try await Fixture.make()
        await #expect(throws: Refusal.invalidInput(issues)) {
            try await boards(fixture).create(name: name, firstTable: first, lastTable: last, by: "alice")
        }
        #expect(try await fixture.store.signageBoards.boards().isEmpty)
    }

    @Test("now and next: the slot under way and the next one, at the board's tables, from the published version")
    func nowAndNext() async throws {
        let fixture = try await Fixture.make()
        let event = fixture.service.event
        let ada = try await fixture.register("Ada Lovelace", "ada@example.org")
        let bob = try await fixture.register("Bob Martin", "bob@example.org")
        let cyd = try await fixture.register("Cyd Charisse", "cyd@example.org")
        let xia = try await fixture.register("Xia Wen", "xia@example.org", role: .expert)
        let yan = try await fixture.register("Yan Tiersen", "yan@example.org", role: .expert)
        let zoe = try await fixture.register("Zoé Peña", "zoe@example.org", role: .expert)
        let gone = try await fixture.register("Gone Away", "gone@example.org")
        let slots = event.slots
        let table = { (number: Int) in event.tables[number - 1].id }
        let published = try await fixture.store.schedules.save(
            ScheduleDraft(
                meetings: [
                    Meeting(bob.id, yan.id, slot: slots[0].id, table: table(5)),
                    Meeting(ada.id, xia.id, slot: slots[0].id, table: table(1)),
                    Meeting(cyd.id, zoe.id, slot: slots[0].id, table: table(20)),
                    Meeting(ada.id, yan.id, slot: slots[1].id, table: table(2)),
                    Meeting(gone.id, xia.id, slot: slots[1].id, table: table(3)),
                ], objective: 5, createdAt: Fixture.start))
        _ = try await fixture.store.schedules.publish(published.info.version, at: Fixture.start)
        // A later version not published yet must not show.
        _ = try await fixture.store.schedules.save(
            ScheduleDraft(
                meetings: [Meeting(cyd.id, xia.id, slot: slots[0].id, table: table(1))], objective: 1,
                createdAt: Fixture.start))
        _ = try await fixture.organisers.cancel(gone.id.rawValue, by: "alice", reason: nil)
        let load = { (time: String) in
            try await NowAndNext.load(
                at: try #require(ISO8601DateFormatter().date(from: time)), event: event, tables: 1...10,
                schedules: fixture.store.schedules, participants: fixture.store.participants)
        }
        let names = { (slot: NowAndNext.SlotPairs?) in
            slot?.pairs.map { "\($0.table.name): " + $0.people.map(\.name).joined(separator: " + ") }
        }

        // MUT: Paris is UTC+1 on 18 March 2027; the first slot is 09:00–09:25 there.
        let early = try await load("2027-03-18T07:00:00Z")
        let during = try await load("2027-03-18T08:10:00Z")
        let boundary = try await load("2027-03-18T08:25:00Z")
        let lunch = try await load("2027-03-18T12:00:00Z")
        let evening = try await load("2027-03-18T17:00:00Z")

        // validation
        #expect(early.current == nil)
        #expect(early.next?.slot == slots[0])
        #expect(names(during.current) == ["Table 1: Ada Lovelace + Xia Wen", "Table 5: Bob Martin + Yan Tiersen"])
        #expect(names(during.next) == ["Table 2: Ada Lovelace + Yan Tiersen"], "a cancelled person is left out")
        #expect(boundary.current?.slot == slots[1], "a slot starts at its start")
        #expect(boundary.next?.slot == slots[2])
        #expect(boundary.next?.pairs == [])
        #expect(lunch.current == nil)
        #expect(lunch.next?.slot.session == "afternoon")
        #expect(evening.current == nil && evening.next == nil)
    }

    @Test("before any publication a board shows the slots without meetings")
    func nothingPublished() async throws {
        let fixture = try await Fixture.make()
        let ada = try await fixture.register("Ada Lovelace", "ada@example.org")
        let xia = try await fixture.register("Xia Wen", "xia@example.org", role: .expert)
        let event = fixture.service.event
        _ = try await fixture.store.schedules.save(
            ScheduleDraft(
                meetings: [Meeting(ada.id, xia.id, slot: event.slots[0].id, table: event.tables[0].id)],
                objective: 1, createdAt: Fixture.start))

        let board = try await NowAndNext.load(
            at: event.slots[0].start, event: event, tables: 1...40, schedules: fixture.store.schedules,
            participants: fixture.store.participants)

        #expect(board.current?.slot == event.slots[0])
        #expect(board.current?.pairs == [])
    }
}
