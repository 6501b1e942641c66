import ArgumentParser
import Foundation
import PartneringCore
import Scheduling
import Storage

/// `partnering import ...`: data into the store.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import data into the store.",
        subcommands: [ImportScheduleCommand.self]
    )
}

/// `partnering import schedule FILE`: stores a `partnering-schedule/1` as a new version.
struct ImportScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Store a schedule (partnering-schedule/1) as a new schedule version.",
        discussion: "Every meeting must join two known participants in a slot and at a table of the event."
    )

    @OptionGroup var service: ServiceOptions

    @Argument(help: "The schedule file.") var file: String

    @Option(help: "A short name for this version.") var label: String?

    func run() async throws {
        try await reportingFailures {
            let (settings, event) = try await service.settingsAndEvent()
            let document = try JSONFiles.read(ScheduleDocument.self, from: file)
            guard document.format == ScheduleDocument.formatName else {
                throw CommandFailure.badInput(
                    "\(file): format: expected \"\(ScheduleDocument.formatName)\", found \"\(document.format)\"")
            }
            let version = try await withStore(settings) { store in
                let known = Set(try await store.participants.list(.all).map(\.id.rawValue))
                let meetings = try ScheduleImport.meetings(
                    of: document, event: event, knownParticipants: known, file: file)
                return try await store.schedules.save(
                    ScheduleDraft(
                        meetings: meetings, objective: document.objective, upperBound: document.upperBound,
                        label: label ?? "imported from \(URL(fileURLWithPath: file).lastPathComponent)",
                        createdAt: Date()))
            }
            print(
                "Stored schedule version \(version.info.version): \(version.meetings.count) meetings, objective \(document.objective)."
            )
        }
    }
}

/// Checks the meetings of an imported schedule against the event and the store.
enum ScheduleImport {
    static func meetings(
        of document: ScheduleDocument, event: EventDefinition, knownParticipants: Set<String>, file: String
    ) throws -> [Meeting] {
        let slots = Set(event.slots.map(\.id.rawValue))
        let tables = Set(event.tables.map(\.id.rawValue))
        var defects: [String] = []
        var meetings: [Meeting] = []
        for (index, meeting) in document.meetings.enumerated() {
            let place = "meetings[\(index)]"
            guard meeting.participants.count == 2, meeting.participants[0] != meeting.participants[1] else {
                defects.append("\(place).participants: expected two different participants")
                continue
            }
            for (position, id) in meeting.participants.enumerated() where !knownParticipants.contains(id) {
                defects.append("\(place).participants[\(position)]: unknown participant \"\(id)\"")
            }
            if !slots.contains(meeting.slot) { defects.append("\(place).slot: unknown slot \"\(meeting.slot)\"") }
            if !tables.contains(meeting.table) { defects.append("\(place).table: unknown table \"\(meeting.table)\"") }
            meetings.append(
                Meeting(
                    ParticipantID(meeting.participants[0]), ParticipantID(meeting.participants[1]),
                    slot: SlotID(meeting.slot), table: TableID(meeting.table)))
        }
        guard defects.isEmpty else {
            throw CommandFailure.badInput(
                "\(file): \(defects.count) defect(s):\n" + defects.map { "  \($0)" }.joined(separator: "\n"))
        }
        return meetings
    }
}
