import Foundation

/// The addresses the scheduling pages link and post to, given by the server so that the
/// templates and the routes cannot drift apart.
struct SchedulingPaths {
    static let home = "/organiser/schedule"
    static let run = "/organiser/schedule/run"
    static let cancel = "/organiser/schedule/cancel"
    static let progress = "/organiser/schedule/progress.json"
    static let compare = "/organiser/schedule/compare"

    static func version(_ number: Int) -> String { "/organiser/schedule/versions/\(number)" }
    static func adjust(_ number: Int) -> String { "/organiser/schedule/versions/\(number)/adjust" }
    static func save(_ number: Int) -> String { "/organiser/schedule/versions/\(number)/save" }
    static func publish(_ number: Int) -> String { "/organiser/schedule/versions/\(number)/publish" }
    static func publication(_ number: Int) -> String { "/organiser/schedule/publication/\(number)" }
    static func person(_ number: Int, _ id: String) -> String {
        "/organiser/schedule/versions/\(number)/people/" + query(id)
    }
    static func view(_ number: Int, _ file: String) -> String { "/organiser/schedule/versions/\(number)/\(file)" }

    /// `text` as one query value.
    static func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    let run = Self.run
    let cancel = Self.cancel
    let progress = Self.progress
    let compare = Self.compare
    let home = Self.home
}

/// A link with its words.
struct PageLink {
    let href: String
    let label: String
}

/// One version in the list of runs.
struct ScheduleRunLine {
    let version: Int
    let href: String
    let created: String
    let origin: String
    let meetings: String
    let result: String
    let published: Bool
}

/// `/organiser/schedule`: start or follow a run, the versions, compare two.
struct ScheduleRunsPageModel {
    let chrome: PageChrome
    let paths: SchedulingPaths
    let notice: String
    let hasNotice: Bool
    let noticeIsError: Bool
    let running: Bool
    let progress: String
    let hasPublished: Bool
    let runs: [ScheduleRunLine]
    let hasRuns: Bool
    let compareFrom: [Option]
    let compareTo: [Option]
}

/// One meeting of a version, in words.
struct ScheduleMeetingLine {
    let time: String
    let table: String
    let first: String
    let second: String
    let firstHref: String
    let secondHref: String
    let pinned: Bool
    /// The version page with the form filled in for this pair.
    let adjustHref: String
}

/// One cell of the board: a table at a time, with its meeting if it has one.
struct BoardCell {
    let slot: String
    let table: String
    let hasMeeting: Bool
    let first: String
    let second: String
    let label: String
    let pinned: Bool
}

/// One table of the board, its cells in time order.
struct BoardRow {
    let table: String
    let cells: [BoardCell]
}

/// A pair the version leaves out, with the reasons in words.
struct UnscheduledLine {
    let people: String
    let priority: String
    let reasons: [String]
}

/// `/organiser/schedule/versions/:version`: the result in words, the views, the draft of
/// changes and the form that adds one, the meetings and what is left out.
struct ScheduleVersionPageModel {
    let chrome: PageChrome
    let version: Int
    let origin: String
    let published: Bool
    let notice: String
    let hasNotice: Bool
    let error: String
    let hasError: Bool
    let suggestion: String
    let headline: String
    let facts: [String]
    let views: [PageLink]
    let publicationHref: String
    let adjustPath: String
    let savePath: String
    let versionHref: String
    let draft: String
    let hasDraft: Bool
    let draftCount: String
    let draftChanges: [String]
    let actions: [Option]
    let firstPeople: [Option]
    let secondPeople: [Option]
    let slots: [Option]
    let tables: [Option]
    let meetings: [ScheduleMeetingLine]
    let meetingsCut: Bool
    let unscheduledCount: Int
    let hasUnscheduled: Bool
    let unscheduled: [UnscheduledLine]
    let gridHref: String
    /// Tables by times, where a meeting is dragged to another cell (small enough events).
    let hasBoard: Bool
    let boardTimes: [String]
    let board: [BoardRow]
}

/// One line of a comparison.
struct ComparisonLine {
    let kind: String
    let people: String
    let before: String
    let after: String
}

/// `/organiser/schedule/compare`.
struct ScheduleComparisonPageModel {
    let chrome: PageChrome
    let from: Int
    let to: Int
    let figures: [String]
    let lines: [ComparisonLine]
    let hasLines: Bool
}

/// `/organiser/schedule/publication/:version`: who will be told what, before confirming.
struct SchedulePublicationPageModel {
    let chrome: PageChrome
    let version: Int
    let versionHref: String
    let publishPath: String
    let alreadyPublished: Bool
    let recipients: String
    let recipientCount: Int
    let confirmLabel: String
    let hasRecipients: Bool
    let recipientNames: String
    let hasPrevious: Bool
    let previous: Int
    let changes: [ComparisonLine]
    let changesCut: Bool
    let hasSample: Bool
    let sampleTo: String
    let sampleSubject: String
    let sampleBody: String
}

/// A meeting on a person's page.
struct PersonMeetingLine {
    let time: String
    let table: String
    let other: String
    let otherHref: String
    let pinned: Bool
}

/// A request of a person that the scheduler had to place, and what became of it.
struct PersonRequestLine {
    let direction: String
    let other: String
    let otherHref: String
    let priority: String
    let state: String
    let reasons: [String]
}

/// `/organiser/schedule/versions/:version/people/:id`: one person's meetings and requests
/// in a version.
struct SchedulePersonPageModel {
    let chrome: PageChrome
    let version: Int
    let versionHref: String
    let name: String
    let organisation: String
    let email: String
    let summary: String
    let meetings: [PersonMeetingLine]
    let hasMeetings: Bool
    let requests: [PersonRequestLine]
    let hasRequests: Bool
}
