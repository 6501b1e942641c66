import CheckIn
import Foundation
import PartneringCore
import Registration
import Tickets

/// The badges page: sheets to print (fronts, and backs when asked), with the filters.
struct BadgesPageModel {
    struct RoleOption {
        let value: String
        let name: String
        let isSelected: Bool
    }

    let chrome: PageChrome
    /// `A4` (four badges per sheet, 2 × 2) or `A6` (one per sheet).
    let pageSize: String
    /// The paper's size for CSS `@page` (Chromium knows no `A6` keyword).
    let pageWidth: String
    let pageHeight: String
    let isA4: Bool
    let withBacks: Bool
    let roles: [RoleOption]
    let sheets: [BadgeSheetModel]
    let count: Int
    let hasBadges: Bool
    /// The page the desk opens for one person: no filters.
    let isSingle: Bool
}

/// One printed page: a grid of cells, each a badge's front or back, or left blank so
/// that backs land behind their fronts.
struct BadgeSheetModel {
    let isBack: Bool
    let cells: [BadgeCellModel]
}

struct BadgeCellModel {
    let badge: BadgeModel?
    let isBlank: Bool
}

/// What one badge shows.
struct BadgeModel {
    struct MeetingModel {
        let time: String
        let table: String
        let counterpart: String
        let organisation: String
        let hasOrganisation: Bool
    }

    let participantID: String
    let name: String
    let organisation: String
    let roleName: String
    /// `role-0`, `role-1`...: the colour of the role's band.
    let roleClass: String
    let number: String
    let code: String
    /// The ticket's QR code as inline SVG (rendered unescaped: it is ours).
    let qrSVG: String
    let hasTicket: Bool
    let meetings: [MeetingModel]
    let hasMeetings: Bool

    init(_ badge: Badge, ticket: IssuedTicketText?, language: Language) throws {
        let participant = badge.participant
        participantID = participant.id.rawValue
        name = participant.name
        organisation = participant.organisation
        roleName = badge.roleName[language]
        roleClass = "role-\(min(badge.roleIndex, 4))"
        let ticketModel = ticket.map { TicketModel(ticket: $0, number: participant.number) }
        let digits = String(participant.number)
        number = ticketModel?.number ?? String(repeating: "0", count: max(0, 3 - digits.count)) + digits
        code = ticketModel?.code ?? ""
        qrSVG = try ticket.map { try QRMatrix(alphanumeric: $0.token).svg(width: "36mm") } ?? ""
        hasTicket = ticket != nil
        meetings = badge.meetings.map {
            MeetingModel(
                time: $0.time, table: $0.table, counterpart: $0.counterpart, organisation: $0.counterpartOrganisation,
                hasOrganisation: !$0.counterpartOrganisation.isEmpty)
        }
        hasMeetings = !meetings.isEmpty
    }
}

extension BadgeSheetModel {
    /// The sheets of `badges`: `perSheet` badges a sheet, in rows of `columns`; with backs,
    /// each sheet of fronts is followed by its backs, columns mirrored (a sheet turned over
    /// its long edge puts the left badge's back on the right).
    static func sheets(_ badges: [BadgeModel], perSheet: Int, columns: Int, withBacks: Bool) -> [BadgeSheetModel] {
        let perSheet = max(1, perSheet)
        let columns = max(1, min(columns, perSheet))
        var sheets: [BadgeSheetModel] = []
        for start in stride(from: 0, to: badges.count, by: perSheet) {
            let group = Array(badges[start..<min(start + perSheet, badges.count)])
            let cells = (0..<perSheet).map { index in
                index < group.count
                    ? BadgeCellModel(badge: group[index], isBlank: false) : BadgeCellModel(badge: nil, isBlank: true)
            }
            sheets.append(BadgeSheetModel(isBack: false, cells: cells))
            guard withBacks else { continue }
            let mirrored = stride(from: 0, to: perSheet, by: columns).flatMap { row in
                cells[row..<min(row + columns, perSheet)].reversed()
            }
            sheets.append(BadgeSheetModel(isBack: true, cells: mirrored))
        }
        return sheets
    }
}
