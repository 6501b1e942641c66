import Foundation
import HTTPTypes
import PartneringCore
import Registration

/// A hall board's page: the event's clock, the slot under way and the next one.
struct BoardPageModel {
    let lang: String
    let eventName: String
    let boardName: String
    /// `Tables 1–10`: the numbers the board shows.
    let firstTable: Int
    let lastTable: Int
    /// The time in the event's zone, `10:05`.
    let clock: String
    let current: BoardSlotModel?
    let next: BoardSlotModel?
    let isOver: Bool
    /// How often the page fetches itself again, in seconds.
    let refreshSeconds: Int

    init(board: SignageBoard, nowAndNext: NowAndNext, now: Date, event: EventDefinition, language: Language) {
        let dates = EventDateText(timeZone: event.timeZone)
        lang = language.rawValue
        eventName = event.name[language]
        boardName = board.name
        firstTable = board.tables.lowerBound
        lastTable = board.tables.upperBound
        clock = dates.time(now)
        current = nowAndNext.current.map { BoardSlotModel($0, dates: dates, now: now, language: language) }
        next = nowAndNext.next.map { BoardSlotModel($0, dates: dates, now: now, language: language) }
        isOver = nowAndNext.current == nil && nowAndNext.next == nil
        refreshSeconds = 20
    }
}

/// One slot on a board: its times and who meets at each table.
struct BoardSlotModel {
    struct Person {
        let name: String
        let organisation: String
    }

    struct Pair {
        let table: String
        let first: Person
        let second: Person
    }

    let start: String
    let end: String
    /// The slot's day when it is not today (the next slot of a later day of the event).
    let day: String?
    let pairs: [Pair]
    let hasPairs: Bool

    init(_ slot: NowAndNext.SlotPairs, dates: EventDateText, now: Date, language: Language) {
        start = dates.time(slot.slot.start)
        end = dates.time(slot.slot.end)
        let slotDay = dates.day(slot.slot.start, in: language)
        day = slotDay == dates.day(now, in: language) ? nil : slotDay
        pairs = slot.pairs.compactMap { pair in
            guard pair.people.count == 2 else { return nil }
            let people = pair.people.map { Person(name: $0.name, organisation: $0.organisation) }
            return Pair(table: pair.table.name, first: people[0], second: people[1])
        }
        hasPairs = !pairs.isEmpty
    }
}

/// The organiser's list of hall boards, with the form that creates one.
struct BoardsPageModel {
    struct Line {
        let id: String
        let name: String
        let firstTable: Int
        let lastTable: Int
        let url: String
        let created: String
    }

    let chrome: PageChrome
    let boards: [Line]
    let hasBoards: Bool
    let tableCount: Int
    let name: String
    let firstTable: String
    let lastTable: String
    /// The messages next to the fields, `nil` when the field is fine.
    let nameError: String?
    let firstTableError: String?
    let lastTableError: String?
    let hasErrors: Bool
    let notice: String
    let hasNotice: Bool
    let isCreatedNotice: Bool
}
