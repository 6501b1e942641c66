import Foundation
import Testing

@testable import Grids

@Suite struct HTMLViewTests {
    private let escapedScript = "Ada &lt;script&gt;alert(1)&lt;/script&gt;"

    @Test func gridHasAnOverviewThenOneA3PagePerDayWithThePeopleInTheRightCells() throws {
        let html = GridFixture.text(try #require(GridFixture.render(.grid, .html).first))
        #expect(html.contains("@page { size: A3 landscape"))
        let sections = HTMLCells.sections(html)
        #expect(sections.count == 3)
        #expect(sections[0].contains("Overview"))
        // The day as the locale writes it (ICU may put a comma after the weekday).
        #expect(sections[1].contains("<h1>Meeting grid — Friday") && sections[1].contains("13 November 2026</h1>"))
        #expect(sections[2].contains("<h1>Meeting grid — Saturday") && sections[2].contains("14 November 2026</h1>"))

        let table1 = try #require(HTMLCells.row(html, section: "13 November", rowHeading: "Table 1"))
        #expect(table1.count == 5)
        #expect(table1[0] == "Ada <script>alert(1)</script> | Onco Bio SAS | Marie Curie | Institut X")
        #expect(table1[1] == "")
        #expect(table1[3] == "Hélène Dupré | Pharma; \"Quoted\"\nSecond line | Marie Curie | Institut X")
        let hostRow = try #require(HTMLCells.row(html, section: "14 November", rowHeading: "Stand Host"))
        #expect(hostRow == ["Host Co | Booth Inc | Marie Curie | Institut X", ""])
    }

    @Test func gridEscapesEveryNameAndNeverLetsMarkupThrough() throws {
        let html = GridFixture.text(try #require(GridFixture.render(.grid, .html).first))
        #expect(!html.contains("<script"))
        #expect(html.contains(escapedScript))
        #expect(html.contains("O&#39;Brien &amp; Sons"))
        #expect(html.contains("Pharma; &quot;Quoted&quot;"))
    }

    @Test func gridColoursPeopleByRoleOrCellsByPriorityAndMarksPins() throws {
        let byRole = GridFixture.text(try #require(GridFixture.render(.grid, .html).first))
        #expect(byRole.contains("<td class=\"m pin\"><span class=\"person r0\">Ada"))
        #expect(byRole.contains("<span class=\"person r1\">Marie Curie"))
        let options = try GridFixture.options(colouring: .priority)
        let byPriority = GridFixture.text(try #require(GridFixture.render(.grid, .html, options: options).first))
        #expect(byPriority.contains("<td class=\"m q1 pin\"><span class=\"person\">Ada"))
        #expect(byPriority.contains("<td class=\"m q3\"><span class=\"person\">Host Co"))
    }

    @Test func gridPagedBySessionStartsAPageAtLunch() throws {
        let options = try GridFixture.options(paging: .session)
        let html = GridFixture.text(try #require(GridFixture.render(.grid, .html, options: options).first))
        let sections = HTMLCells.sections(html)
        #expect(sections.count == 4)
        #expect(sections[1].contains("09:00–10:30") && sections[2].contains("14:00–15:00"))
        let afternoon = try #require(HTMLCells.row(html, section: "14:00–15:00", rowHeading: "Table 1"))
        #expect(afternoon.first?.hasPrefix("Hélène Dupré") == true)
    }

    @Test func overviewDrawsThreeChartsWithTheFigures() throws {
        let html = GridFixture.text(try #require(GridFixture.render(.grid, .html).first))
        let overview = try #require(HTMLCells.sections(html).first)
        #expect(overview.components(separatedBy: "<svg ").count - 1 == 3)
        // Friday 09:00: two of three tables in use; P1: 3 of 4 requests met.
        #expect(overview.contains("2026-11-13 09:00–09:30: 2/3 tables in use (67 %)"))
        #expect(overview.contains("3 / 4 met · 75.0 %"))
        // Breaks: Hélène (09:00, then 14:00) and Marie (09:00, 14:00; Saturday apart); table
        // changes: Hélène (Table 2, then Table 1) and O'Brien (Table 2, then the stand).
        #expect(overview.contains("Breaks between meetings<b>2</b>"))
        #expect(overview.contains("Table changes<b>2</b>"))
        // Meetings per participant: c4 and e3 have none, Host Co, Hélène and Marie have 2 or 3.
        #expect(overview.contains("company: 1 × 0 meetings"))
        #expect(overview.contains("expert: 1 × 0 meetings"))
        #expect(overview.contains("expert: 1 × 3 meetings"))
    }

    @Test func agendasGiveEachParticipantAnA4PageWithTimesTablesAndCounterparts() throws {
        let topics = ["e1": ["Leukaemia", "CAR-T"]]
        let html = GridFixture.text(try #require(GridFixture.render(.agendas, .html, topics: topics).first))
        #expect(html.contains("@page { size: A4 portrait"))
        let pages = HTMLCells.sections(html)
        #expect(pages.count == 7)
        let marie = try #require(pages.first { $0.contains("<h1>Marie Curie</h1>") })
        #expect(
            marie.contains(
                "<td class=\"time\">09:00–09:30</td><td class=\"tablecol\">Table 1</td><td>\(escapedScript)</td><td>Onco Bio SAS</td>"
            ))
        #expect(
            marie.contains(
                "<td class=\"time\">14:00–14:30</td><td class=\"tablecol\">Table 1</td><td>Hélène Dupré</td>"))
        #expect(marie.contains("14 November 2026</h2>"))
        let hostCo = try #require(pages.first { $0.contains("<h1>Host Co</h1>") })
        #expect(hostCo.contains("Host table: Stand Host"))
        #expect(hostCo.contains("<td>Marie Curie</td><td>Institut X</td><td>Leukaemia, CAR-T</td>"))
        let nobody = try #require(pages.first { $0.contains("<h1>Nobody Asked</h1>") })
        #expect(nobody.contains("No meeting"))
    }

    @Test func agendasCanBeOneFilePerParticipantWithSafeNames() throws {
        let files = try GridFixture.render(.agendas, .html, options: GridFixture.options(agendaPerFile: true))
        #expect(
            files.map(\.path).sorted() == [
                "agendas/c1.html", "agendas/c2.html", "agendas/c3.html", "agendas/c4.html", "agendas/e1.html",
                "agendas/e2.html", "agendas/e3.html", "agendas/index.html",
            ])
        let ada = GridFixture.text(try #require(files.first { $0.path == "agendas/c1.html" }))
        #expect(ada.contains("<h1>\(escapedScript)</h1>") && ada.contains("<td>Marie Curie</td>"))
        #expect(!ada.contains("Hélène Dupré</h1>"))
    }

    @Test func tableSheetsListEverySlotWithWhoMeetsThere() throws {
        let html = GridFixture.text(try #require(GridFixture.render(.tables, .html).first))
        let sheets = HTMLCells.sections(html)
        #expect(sheets.count == 3)
        let host = sheets[2]
        #expect(host.contains("<h1>Stand Host</h1>") && host.contains("Host: Host Co"))
        #expect(host.components(separatedBy: "<tr class=\"free\">").count - 1 == 5)
        #expect(
            host.contains(
                "<td class=\"time\">09:30–10:00</td><td>Host Co<br><small>Booth Inc</small></td><td>O&#39;Brien &amp; Sons"
            ))
    }

    @Test func noMeetingListSaysWhoAndWhyInFrench() throws {
        let options = try GridFixture.options(language: .fr)
        let html = GridFixture.text(try #require(GridFixture.render(.noMeetings, .html, options: options).first))
        #expect(html.contains("Participants sans rendez-vous (1)"))
        #expect(html.contains("<h2 id=\"p-c4\">=HYPERLINK(&quot;http://x.invalid&quot;)</h2>"))
        #expect(html.contains("<td>envoyée</td><td>Marie Curie</td><td>Institut X</td><td>P1</td>"))
        #expect(html.contains("<td>reçue</td><td>O&#39;Brien &amp; Sons</td>"))
        #expect(html.contains("<li>aucun créneau disponible en commun</li>"))
        #expect(!html.contains("Nobody Asked"))
    }

    @Test func noMeetingListWithoutExplanationSaysSo() throws {
        let model = try GridModel(problem: GridFixture.problem, schedule: GridFixture.schedule)
        let file = try #require(
            GridRenderer(model: model, options: GridFixture.options()).render(.noMeetings, as: .html).first)
        #expect(GridFixture.text(file).contains("No explanation given (partnering schedule --explain)."))
    }
}
