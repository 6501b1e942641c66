import Foundation
import Mail
import PartneringCore

/// The views that can be drawn from a schedule.
public enum GridView: String, Sendable, CaseIterable {
    /// Slot × table grid, one page per day or session, with the overview charts.
    case grid
    /// One sheet per table, for the table hosts.
    case tables
    /// One agenda per participant.
    case agendas
    /// Participants with a request but no meeting, and why.
    case noMeetings = "no-meetings"
}

/// The file formats of the views.
public enum GridFormat: String, Sendable, CaseIterable {
    case html
    case csv
    case ics
}

/// What the cells of the grid are coloured by.
public enum GridColouring: String, Sendable, CaseIterable {
    case role
    case priority
}

/// Where the printed grid starts a new page.
public enum GridPaging: String, Sendable, CaseIterable {
    case day
    case session
}

/// How the views are drawn.
public struct GridOptions: Sendable {
    public var language: Language
    public var colouring: GridColouring
    public var paging: GridPaging
    public var csvSeparator: CSVSeparator
    /// One agenda file per participant (`agendas/ID.html`) instead of one file for all.
    public var agendaPerFile: Bool
    /// ORGANIZER of the calendar events; its domain also makes the events' UIDs.
    public var organiser: MailAddress
    /// DTSTAMP of the calendar events.
    public var stamp: Date
    /// The roles' names in `language`, by role code (`company` → `entreprise`); a role
    /// without a name is shown by its code (the problem file names no roles).
    public var roleNames: [String: String]

    public init(
        language: Language = .fr, colouring: GridColouring = .role, paging: GridPaging = .day,
        csvSeparator: CSVSeparator = .semicolon, agendaPerFile: Bool = false, organiser: MailAddress,
        stamp: Date = Date(), roleNames: [String: String] = [:]
    ) {
        self.language = language
        self.colouring = colouring
        self.paging = paging
        self.csvSeparator = csvSeparator
        self.agendaPerFile = agendaPerFile
        self.organiser = organiser
        self.stamp = stamp
        self.roleNames = roleNames
    }

    /// The name of the role `code` for people to read.
    public func roleName(_ code: String) -> String { roleNames[code] ?? code }
}

/// One output file: its path relative to the output folder, and its bytes.
public struct RenderedFile: Sendable, Hashable {
    public var path: String
    public var data: Data

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
    }
}
