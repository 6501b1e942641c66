import Foundation
import Grids
import Scheduling

/// The changes an organiser collects on a version before saving them as one new version.
/// The draft travels with the page (in its address and forms) as JSON, so that nothing is
/// stored until the organiser saves, and every change is checked again on each step.
struct AdjustmentDraft {
    /// More changes than an organiser makes in one sitting; bounds the work of each step.
    static let maximumChanges = 200
    /// The longest draft text read (a change is about 100 characters).
    static let maximumLength = 64_000

    var changes: [MeetingAdjustment]

    init(changes: [MeetingAdjustment]) {
        self.changes = changes
    }

    /// Reads a draft; empty text is an empty draft, anything unreadable or too long is nil.
    init?(_ text: String) {
        guard !text.isEmpty else {
            changes = []
            return
        }
        guard text.utf8.count <= Self.maximumLength,
            let changes = try? JSONDecoder().decode([MeetingAdjustment].self, from: Data(text.utf8)),
            changes.count <= Self.maximumChanges
        else { return nil }
        self.changes = changes
    }

    /// The draft as it travels (compact JSON).
    var text: String {
        guard !changes.isEmpty, let data = try? JSONEncoder().encode(changes) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The form that adds one change to a draft: what to do, the two people, the time and the
/// table, all picked from lists (ids are the values, names and times what people see).
struct AdjustmentForm {
    /// The actions of the form, in its order.
    static let actions = ["move", "book", "cancel", "pin", "pin-time", "unpin"]

    var action = "move"
    var first = ""
    var second = ""
    /// Empty: the meeting's current time.
    var slot = ""
    /// Empty: the meeting's current table (move) or the first table that fits (book).
    var table = ""

    init() {}

    init(_ data: FormData) {
        action = data["action"]
        first = data["a"]
        second = data["b"]
        slot = data["slot"]
        table = data["table"]
    }

    /// Why a change cannot join the draft.
    enum Failure: Error {
        case refused(MeetingAdjustment.Refusal, pair: [String]?)
        case unreadableDraft
        case unknownAction
    }

    /// Runs `body`, turning a refusal into a failure of the form about `pair`.
    static func checked<T>(pair: [String]? = nil, _ body: () throws(MeetingAdjustment.Refusal) -> T) throws(Failure)
        -> T
    {
        do {
            return try body()
        } catch {
            throw .refused(error, pair: pair)
        }
    }

    /// The change the form asks for on `schedule` (the version with the draft applied).
    func adjustment(in schedule: ScheduleDocument, of problem: ProblemDocument) throws(Failure)
        -> MeetingAdjustment
    {
        let pair = [first, second]
        let current = schedule.meetings.first { Set($0.participants) == Set(pair) }
        switch action {
        case "move":
            return .move(
                participants: pair, slot: slot.isEmpty ? current?.slot ?? "" : slot,
                table: table.isEmpty ? current?.table ?? "" : table)
        case "book":
            guard table.isEmpty else { return .book(participants: pair, slot: slot, table: table) }
            // The first table where the booking breaks no rule, else the first table (whose
            // refusal then says why).
            let tables = problem.tables.map(\.id)
            let fitting = tables.first { table in
                (try? MeetingAdjustment.book(participants: pair, slot: slot, table: table)
                    .apply(to: schedule, of: problem)) != nil
            }
            return .book(participants: pair, slot: slot, table: fitting ?? tables.first ?? "")
        case "cancel": return .cancel(participants: pair)
        case "pin": return .pin(participants: pair, withTable: true)
        case "pin-time": return .pin(participants: pair, withTable: false)
        case "unpin": return .unpin(participants: pair)
        default: throw .unknownAction
        }
    }
}
