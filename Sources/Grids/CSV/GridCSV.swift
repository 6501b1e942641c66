import PartneringCore

/// The views as CSV: one record per meeting (by slot or by table), per meeting of each
/// participant (agendas), or per unmet request (no-meeting list). Headers follow the
/// language of the options.
struct GridCSV {
    let model: GridModel
    let options: GridOptions

    private var labels: GridLabels { GridLabels(options.language) }

    func render(_ view: GridView) -> RenderedFile {
        switch view {
        case .grid: meetings(orderedByTable: false, file: "grid.csv")
        case .tables: meetings(orderedByTable: true, file: "tables.csv")
        case .agendas: agendas()
        case .noMeetings: noMeetings()
        }
    }

    private func meetings(orderedByTable: Bool, file: String) -> RenderedFile {
        var csv = CSVWriter(separator: options.csvSeparator, capacity: 64 + model.meetings.count * 160)
        let person = { (n: Int) in
            [
                "\(labels.participant) \(n)", "\(labels.name) \(n)", "\(labels.organisation) \(n)",
                "\(labels.role) \(n)",
            ]
        }
        csv.record(
            [labels.date, labels.start, labels.end, labels.slot, labels.table, "\(labels.table) (\(labels.name))"]
                + person(1) + person(2) + [labels.priority, labels.mutual.capitalized, labels.pinned.capitalized])
        var order = Array(model.meetings.indices)
        if orderedByTable {
            order.sort {
                (model.meetings[$0].table, model.meetings[$0].slot) < (
                    model.meetings[$1].table, model.meetings[$1].slot
                )
            }
        }
        for index in order {
            let meeting = model.meetings[index]
            let slot = model.slots[meeting.slot]
            let table = model.tables[meeting.table]
            var fields = [model.days[slot.day].date, slot.startText, slot.endText, slot.id, table.id, table.name]
            for participant in [meeting.first, meeting.second] {
                let other = model.participants[participant]
                fields += [other.id, other.name, other.organisation, other.role]
            }
            fields += [
                meeting.priority.map(String.init) ?? "", meeting.mutual ? "1" : "0", meeting.pinned ? "1" : "0",
            ]
            csv.record(fields)
        }
        return RenderedFile(path: file, data: csv.data)
    }

    private func agendas() -> RenderedFile {
        var csv = CSVWriter(separator: options.csvSeparator, capacity: 64 + model.meetings.count * 320)
        csv.record([
            labels.participant, labels.name, labels.organisation, labels.role, labels.date, labels.start, labels.end,
            labels.slot, labels.table, "\(labels.table) (\(labels.name))", labels.counterpart,
            "\(labels.counterpart) (\(labels.name))", "\(labels.counterpart) (\(labels.organisation))",
            "\(labels.counterpart) (\(labels.role))", labels.topics, labels.priority,
        ])
        for (number, person) in model.participants.enumerated() {
            for index in model.meetingsOfParticipant[number] {
                let meeting = model.meetings[Int(index)]
                let slot = model.slots[meeting.slot]
                let table = model.tables[meeting.table]
                let other = model.participants[model.counterpart(of: number, in: meeting)]
                csv.record([
                    person.id, person.name, person.organisation, person.role, model.days[slot.day].date,
                    slot.startText, slot.endText, slot.id, table.id, table.name, other.id, other.name,
                    other.organisation, other.role, other.topics.joined(separator: ", "),
                    meeting.priority.map(String.init) ?? "",
                ])
            }
        }
        return RenderedFile(path: "agendas.csv", data: csv.data)
    }

    private func noMeetings() -> RenderedFile {
        var csv = CSVWriter(separator: options.csvSeparator, capacity: 64 + model.withoutMeeting.count * 400)
        csv.record([
            labels.participant, labels.name, labels.organisation, labels.role, labels.requests, labels.counterpart,
            "\(labels.counterpart) (\(labels.name))", "\(labels.counterpart) (\(labels.organisation))",
            labels.priority, labels.why,
        ])
        for entry in model.withoutMeeting {
            let person = model.participants[entry.participant]
            for request in entry.requests {
                let other = model.participants[request.counterpart]
                csv.record([
                    person.id, person.name, person.organisation, person.role,
                    request.sent ? labels.sent : labels.received,
                    other.id, other.name, other.organisation, String(request.priority),
                    request.reasons.map { labels.reason($0, in: model) }.joined(separator: " | "),
                ])
            }
        }
        return RenderedFile(path: "no-meetings.csv", data: csv.data)
    }
}
