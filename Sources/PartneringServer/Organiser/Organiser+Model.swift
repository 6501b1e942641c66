import Foundation
import PartneringCore
import Registration

/// The organiser's sign-in page.
struct OrganiserLoginPageModel {
    let chrome: PageChrome
    let email: String
    let error: String
    let hasError: Bool
}

/// One horizontal bar of an SVG chart: its label, value and length in chart units.
struct BarLine {
    let label: String
    let value: Int
    let detail: String
    let y: Int
    let textY: Int
    let width: Int
}

/// A bar chart drawn as SVG by the template.
struct BarChart {
    let bars: [BarLine]
    let height: Int
    let hasBars: Bool

    /// Bars of `values` scaled to a chart 600 units wide.
    init(_ values: [(label: String, value: Int, detail: String)], maximum: Int? = nil) {
        let top = max(1, maximum ?? values.map(\.value).max() ?? 1)
        bars = values.enumerated().map { index, line in
            BarLine(
                label: line.label, value: line.value, detail: line.detail, y: index * 28, textY: index * 28 + 17,
                width: max(line.value > 0 ? 2 : 0, line.value * 380 / top))
        }
        height = max(28, values.count * 28)
        hasBars = !values.isEmpty
    }
}

/// Seats and lines of a category on the dashboard.
struct OccupancyLine {
    let name: String
    let capacity: Int
    let confirmed: Int
    let pending: Int
    let waitlisted: Int
    let free: Int
    let percent: Int
    let chart: BarChart
}

/// The organiser dashboard: capacities and waiting lists, requests overview.
struct OrganiserHomePageModel {
    let chrome: PageChrome
    let organiser: String
    let categories: [OccupancyLine]
    let requestTotal: Int
    let requestsByStatus: BarChart
    let acceptanceRate: String
    let mostRequested: [MostRequestedGroup]
}

struct MostRequestedGroup {
    let roleName: String
    let chart: BarChart
}

/// One registration in the back-office list.
struct RegistrationLine {
    let id: String
    let number: Int
    let name: String
    let email: String
    let organisation: String
    let roleName: String
    let status: String
    let registered: String
    let canApprove: Bool
    let canReject: Bool
    let canCancel: Bool
}

/// The registration list with its filters.
struct OrganiserRegistrationsPageModel {
    let chrome: PageChrome
    let text: String
    let statuses: [Option]
    let roles: [Option]
    let sorts: [Option]
    let registrations: [RegistrationLine]
    let count: Int
    let csvQuery: String
    let hasNotice: Bool
}

/// The audit log.
struct AuditLine {
    let time: String
    let actor: String
    let action: String
    let subject: String
    let details: String
}

struct OrganiserAuditPageModel {
    let chrome: PageChrome
    let entries: [AuditLine]
}
