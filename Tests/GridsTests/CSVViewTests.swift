import Foundation
import Testing

@testable import Grids

@Suite struct CSVViewTests {
    /// Reads a CSV file with Python's `csv` module and prints its records as JSON.
    private static let reader = """
        import csv, json, sys
        with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
            print(json.dumps(list(csv.reader(f, delimiter=sys.argv[2]))))
        """

    private func readBack(_ file: RenderedFile, separator: String = ";") throws -> [[String]] {
        let path = try Python.temporaryFile(file.data, name: file.path)
        return try Python.json([[String]].self, Self.reader, arguments: [path, separator])
    }

    @Test func gridCSVReadsBackToTheSameMeetingsInPython() throws {
        let file = try #require(GridFixture.render(.grid, .csv).first)
        #expect(file.path == "grid.csv")
        let records = try readBack(file)
        #expect(records.count == 6)
        #expect(
            records[0] == [
                "Date", "Start", "End", "Slot", "Table", "Table (Name)", "Participant 1", "Name 1", "Organisation 1",
                "Role 1", "Participant 2", "Name 2", "Organisation 2", "Role 2", "Priority", "Mutual", "Pinned",
            ])
        #expect(
            records[1] == [
                "2026-11-13", "09:00", "09:30", "d1-0900", "T1", "Table 1", "c1", GridFixture.scriptName,
                "Onco Bio SAS",
                "company", "e1", "Marie Curie", "Institut X", "expert", "1", "1", "1",
            ])
        #expect(
            records[4] == [
                "2026-11-13", "14:00", "14:30", "d1-1400", "T1", "Table 1", "c2", "Hélène Dupré",
                GridFixture.trickyOrganisation, "company", "e1", "Marie Curie", "Institut X", "expert", "2", "0", "0",
            ])
        #expect(records[5][0...5] == ["2026-11-14", "09:00", "09:30", "d2-0900", "T3", "Stand Host"])
    }

    @Test func csvIsUTF8WithBOMAndCRLFAndQuotesOnlyWhereNeeded() throws {
        let file = try #require(GridFixture.render(.grid, .csv).first)
        let bytes = [UInt8](file.data)
        #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasSuffix("\r\n"))
        #expect(text.components(separatedBy: "\r\n").count == 7)
        #expect(text.contains(";\"Pharma; \"\"Quoted\"\"\nSecond line\";"))
        #expect(text.contains(";Onco Bio SAS;"))
    }

    @Test func commaSeparatorForOtherSpreadsheets() throws {
        let options = try GridFixture.options(separator: .comma)
        let file = try #require(GridFixture.render(.tables, .csv, options: options).first)
        #expect(file.path == "tables.csv")
        let records = try readBack(file, separator: ",")
        // Ordered by table, then slot: Table 1 (two meetings), Table 2, then the host table.
        #expect(
            records.dropFirst().map { [$0[4], $0[3]] } == [
                ["T1", "d1-0900"], ["T1", "d1-1400"], ["T2", "d1-0900"], ["T3", "d1-0930"], ["T3", "d2-0900"],
            ])
        #expect(records[2][8] == GridFixture.trickyOrganisation)
    }

    @Test func agendaCSVHasOneRecordPerMeetingOfEachParticipantWithTopics() throws {
        let file = try #require(GridFixture.render(.agendas, .csv, topics: ["e1": ["CAR-T", "AML; MDS"]]).first)
        let records = try readBack(file)
        #expect(records.count == 11)
        let marie = records.filter { $0[0] == "e1" }
        #expect(marie.map(\.[10]) == ["c1", "c2", "c3"])
        #expect(marie.map(\.[5]) == ["09:00", "14:00", "09:00"])
        let hostCo = records.filter { $0[0] == "c3" }
        #expect(hostCo.map(\.[11]) == ["O'Brien & Sons", "Marie Curie"])
        #expect(hostCo.last?[14] == "CAR-T, AML; MDS")
    }

    @Test func noMeetingCSVDefusesFormulasAndGivesReasons() throws {
        let file = try #require(GridFixture.render(.noMeetings, .csv).first)
        let records = try readBack(file)
        #expect(records.count == 3)
        // A name a spreadsheet would run as a formula gets a leading apostrophe.
        #expect(records[1][1] == "'" + GridFixture.formulaName)
        #expect(records[1][4...8] == ["sent", "e1", "Marie Curie", "Institut X", "1"])
        #expect(records[2][4...8] == ["received", "e2", "O'Brien & Sons", "Université Paris-Saclay", "2"])
        #expect(records[1][9] == "no common available slot")
    }
}
