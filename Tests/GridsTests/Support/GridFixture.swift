import Foundation
import Mail
import PartneringCore
import Scheduling

@testable import Grids

/// A small two-day event with every case the views must get right: a pinned meeting, a host
/// table, a mutual request, a participant with requests and no meeting (no common slot), one
/// without any request, and names that HTML, CSV and spreadsheets must not take as code.
enum GridFixture {
    static let scriptName = "Ada <script>alert(1)</script>"
    static let trickyOrganisation = "Pharma; \"Quoted\"\nSecond line"
    static let formulaName = "=HYPERLINK(\"http://x.invalid\")"

    static let problem = ProblemDocument(
        event: .init(name: "LEUKEMIA 360", timezone: "Europe/Paris"),
        slots: [
            slot("d1-0900", "2026-11-13T09:00:00+01:00", "2026-11-13T09:30:00+01:00"),
            slot("d1-0930", "2026-11-13T09:30:00+01:00", "2026-11-13T10:00:00+01:00"),
            slot("d1-1000", "2026-11-13T10:00:00+01:00", "2026-11-13T10:30:00+01:00"),
            slot("d1-1400", "2026-11-13T14:00:00+01:00", "2026-11-13T14:30:00+01:00"),
            slot("d1-1430", "2026-11-13T14:30:00+01:00", "2026-11-13T15:00:00+01:00"),
            slot("d2-0900", "2026-11-14T09:00:00+01:00", "2026-11-14T09:30:00+01:00"),
            slot("d2-0930", "2026-11-14T09:30:00+01:00", "2026-11-14T10:00:00+01:00"),
        ],
        tables: [
            .init(id: "T1", name: "Table 1"), .init(id: "T2", name: "Table 2"), .init(id: "T3", name: "Stand Host"),
        ],
        policy: .init(meet: [["company", "expert"]]),
        participants: [
            .init(id: "c1", role: "company", name: scriptName, organisation: "Onco Bio SAS", available: allButLast),
            .init(
                id: "c2", role: "company", name: "Hélène Dupré", organisation: trickyOrganisation, available: allButLast
            ),
            .init(
                id: "c3", role: "company", name: "Host Co", organisation: "Booth Inc", available: allButLast,
                table: "T3"),
            .init(id: "c4", role: "company", name: formulaName, organisation: "Evil Corp", available: ["d2-0930"]),
            .init(id: "e1", role: "expert", name: "Marie Curie", organisation: "Institut X", available: allButLast),
            .init(
                id: "e2", role: "expert", name: "O'Brien & Sons", organisation: "Université Paris-Saclay",
                available: allButLast),
            .init(id: "e3", role: "expert", name: "Nobody Asked", organisation: "Quiet Lab"),
        ],
        requests: [
            .init(from: "c1", to: "e1", priority: 1), .init(from: "e1", to: "c1", priority: 2),
            .init(from: "c2", to: "e1", priority: 2), .init(from: "c2", to: "e2", priority: 1),
            .init(from: "c3", to: "e1", priority: 3), .init(from: "c3", to: "e2", priority: 1),
            .init(from: "c4", to: "e1", priority: 1), .init(from: "e2", to: "c4", priority: 2),
        ],
        pinned: [.init(participants: ["c1", "e1"], slot: "d1-0900", table: "T1")])

    static let schedule = ScheduleDocument(
        meetings: [
            meeting("c3", "e1", "d2-0900", "T3"),
            meeting("e1", "c1", "d1-0900", "T1"),
            meeting("c2", "e2", "d1-0900", "T2"),
            meeting("c3", "e2", "d1-0930", "T3"),
            meeting("c2", "e1", "d1-1400", "T1"),
        ], objective: 15, upperBound: 15)

    /// The scheduler's own explanation of the schedule above.
    static func explanation() throws -> ExplanationDocument {
        let model = try SchedulingModel.compile(problem)
        var slotOfPair = [Int32](repeating: -1, count: model.pairCount)
        for meeting in schedule.meetings {
            let people = meeting.participants.compactMap { model.participantIndex[$0] }
            guard let pair = model.pair(people[0], people[1]), let slot = model.slotIDs.firstIndex(of: meeting.slot)
            else { throw FixtureError.inconsistent }
            slotOfPair[pair] = Int32(slot)
        }
        return ExplanationDocument(unscheduled: Explanation.explain(model: model, slotOfPair: slotOfPair))
    }

    static func model(topics: [String: [String]] = [:]) throws -> GridModel {
        try GridModel(problem: problem, schedule: schedule, explanation: explanation(), topics: topics)
    }

    static func options(
        language: Language = .en, colouring: GridColouring = .role, paging: GridPaging = .day,
        separator: CSVSeparator = .semicolon, agendaPerFile: Bool = false
    ) throws -> GridOptions {
        GridOptions(
            language: language, colouring: colouring, paging: paging, csvSeparator: separator,
            agendaPerFile: agendaPerFile,
            organiser: try MailAddress("organiser@leukemia360.example", name: "Organisers"),
            stamp: Date(timeIntervalSince1970: 1_790_000_000))
    }

    static func render(
        _ view: GridView, _ format: GridFormat, options: GridOptions? = nil, topics: [String: [String]] = [:]
    ) throws -> [RenderedFile] {
        GridRenderer(model: try model(topics: topics), options: try options ?? self.options()).render(view, as: format)
    }

    static func text(_ file: RenderedFile) -> String { String(decoding: file.data, as: UTF8.self) }

    enum FixtureError: Error { case inconsistent }

    private static let allButLast = ["d1-0900", "d1-0930", "d1-1000", "d1-1400", "d1-1430", "d2-0900"]

    private static func slot(_ id: String, _ start: String, _ end: String) -> ProblemDocument.Slot {
        .init(id: id, start: start, end: end)
    }

    private static func meeting(_ a: String, _ b: String, _ slot: String, _ table: String) -> ScheduleDocument.Meeting {
        .init(participants: [a, b], slot: slot, table: table)
    }
}
