import ArgumentParser
import FileSupport
import Foundation
import Grids
import Mail
import PartneringCore
import Scheduling

/// `partnering grid`: the meeting grid, agendas, table sheets and no-meeting list of a
/// schedule, as HTML (screen and print), CSV or per-participant `.ics`.
struct GridCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "Draw the meeting grid, agendas, table sheets and no-meeting list of a schedule.",
        discussion: """
            Reads a schedule (partnering-schedule/1) and its problem (partnering-problem/1, .json or \
            .json.gz), optionally the explanation file of `partnering schedule --explain`, and writes \
            into DIR: grid.* (--by slot), tables.* (--by table), agendas.* (--by participant) and, \
            for HTML and CSV, no-meetings.*. Without --by, every view. Each file is written to a \
            temporary file in DIR, then renamed. A defect in an input file is reported with the file \
            and the JSON path, exit status 2. See docs/grids.md.
            """)

    enum Axis: String, CaseIterable, ExpressibleByArgument {
        case slot, table, participant

        var view: GridView {
            switch self {
            case .slot: .grid
            case .table: .tables
            case .participant: .agendas
            }
        }
    }

    @Option(help: "The schedule (partnering-schedule/1).")
    var schedule: String

    @Option(help: "The problem the schedule solves (partnering-problem/1, .json or .json.gz).")
    var problem: String

    @Option(help: "The explanation file of `partnering schedule --explain`: reasons in the no-meeting list.")
    var explain: String?

    @Option(help: "The view: slot (grid), table (table sheets), participant (agendas); repeatable. Default: all.")
    var by: [Axis] = []

    @Option(help: "html, csv or ics (ics: one calendar per participant, with --by participant).")
    var format: GridFormat = .html

    @Option(name: .shortAndLong, help: "The folder to write into (created if missing).")
    var output: String

    @Option(help: "Language of the views: fr or en.")
    var language: String = "fr"

    @Option(help: "Colour the grid's cells by role or by priority.")
    var colour: GridColouring = .role

    @Option(help: "Start a new printed grid page per day or per session.")
    var pagePer: GridPaging = .day

    @Option(help: "CSV field separator: semicolon (opens in French Excel) or comma.")
    var csvSeparator: CSVSeparator = .semicolon

    @Flag(help: "With HTML agendas: one file per participant (agendas/ID.html) instead of agendas.html.")
    var agendaPerFile = false

    @Option(help: "The ORGANIZER e-mail address of the calendar events (its domain also makes their UIDs).")
    var organiser: String = "organiser@partnering.invalid"

    func validate() throws {
        guard Language(rawValue: language) != nil else { throw ValidationError("--language must be fr or en") }
        if format == .ics, !by.isEmpty, !by.contains(.participant) {
            throw ValidationError("--format ics makes one calendar per participant: use --by participant")
        }
        do { _ = try MailAddress(organiser, field: "--organiser") } catch {
            throw ValidationError("--organiser: \(error)")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let model = try GridInputFiles(problem: problem, schedule: schedule, explanation: explain).model()
            let options = GridOptions(
                language: Language(rawValue: language) ?? .fr, colouring: colour, paging: pagePer,
                csvSeparator: csvSeparator, agendaPerFile: agendaPerFile,
                organiser: try MailAddress(organiser, field: "--organiser"))
            var views = (by.isEmpty ? Axis.allCases : by).map(\.view)
            if format != .ics { views.append(.noMeetings) }
            let renderer = GridRenderer(model: model, options: options)
            var files: [RenderedFile] = []
            for view in views where GridRenderer.supports(view, as: format) {
                files += renderer.render(view, as: format)
            }
            try GridOutputFolder(output).write(files)
            FileHandle.standardError.write(
                Data("wrote \(files.count) file(s) to \(output): \(GridOutputFolder.summary(of: files))\n".utf8))
        }
    }
}

extension GridFormat: ExpressibleByArgument {}
extension GridColouring: ExpressibleByArgument {}
extension GridPaging: ExpressibleByArgument {}
extension CSVSeparator: ExpressibleByArgument {}

/// The input files of `partnering grid`, read and resolved, with defects reported as
/// `FILE: JSON.PATH: what is wrong` (bad input, exit status 2).
struct GridInputFiles {
    var problem: String
    var schedule: String
    var explanation: String?

    func model() throws -> GridModel {
        let problemDocument = try Self.decode(problem) { data throws(InvalidProblem) in
            try ProblemDocument.decode(from: data)
        }
        let scheduleDocument = try Self.decode(schedule) { data throws(InvalidProblem) in
            try ScheduleDocument.decode(from: data)
        }
        var explanationDocument: ExplanationDocument? = nil
        if let explanation {
            explanationDocument = try JSONFiles.read(ExplanationDocument.self, from: explanation)
        }
        do {
            return try GridModel(problem: problemDocument, schedule: scheduleDocument, explanation: explanationDocument)
        } catch {
            let file =
                switch error.document {
                case .problem: problem
                case .schedule: schedule
                case .explanation: explanation ?? "explanation"
                }
            throw CommandFailure.badInput("\(file): \(error)")
        }
    }

    private static func decode<Document>(
        _ path: String, _ decode: (Data) throws(InvalidProblem) -> Document
    ) throws -> Document {
        let data: Data
        do { data = try ScheduleFiles.read(path) } catch { throw CommandFailure.badInput(error.description) }
        do {
            return try decode(data)
        } catch {
            let more = error.issues.count > 1 ? " (and \(error.issues.count - 1) more defect(s))" : ""
            throw CommandFailure.badInput("\(path): \(error.issues.first?.description ?? "invalid")\(more)")
        }
    }
}

/// The output folder: created when missing, each file written to a temporary file beside it
/// and renamed into place. A run may write thousands of calendars, so files are not flushed
/// one by one (an fsync each costs milliseconds); one `sync` at the end makes them durable.
struct GridOutputFolder {
    let path: String

    init(_ path: String) { self.path = path }

    func write(_ files: [RenderedFile]) throws {
        var folders = Set<String>()
        for file in files {
            let target = URL(fileURLWithPath: path, isDirectory: true).appendingPathComponent(file.path)
            let folder = target.deletingLastPathComponent().path
            if folders.insert(folder).inserted {
                do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch
                {
                    throw CommandFailure.failed("cannot create \(folder): \(error.localizedDescription)")
                }
            }
            try Self.writeThenRename(file.data, to: target.path, folder: folder)
        }
        sync()
    }

    private static func writeThenRename(_ data: Data, to path: String, folder: String) throws {
        do {
            // One sync() for the whole set follows; an fsync per file would cost thousands.
            try AtomicFile.write(data, to: path, durability: .renamed)
        } catch {
            throw CommandFailure.failed(error.description)
        }
    }

    /// `grid.html, no-meetings.html` or, for many files, `ics/ (7000 files)`.
    static func summary(of files: [RenderedFile]) -> String {
        var folders: [String: Int] = [:]
        var names: [String] = []
        for file in files {
            if let slash = file.path.firstIndex(of: "/") {
                let folder = String(file.path[...slash])
                if folders[folder] == nil { names.append(folder) }
                folders[folder, default: 0] += 1
            } else {
                names.append(file.path)
            }
        }
        return names.map { name in folders[name].map { "\(name) (\($0) files)" } ?? name }.joined(separator: ", ")
    }
}
