import Foundation
import PartneringCore
import SQLKit

/// Schedule versions in a SQL database: one row per version in `schedule_versions`,
/// its meetings in `schedule_meetings`.
struct SQLScheduleRepository: ScheduleRepository {
    let backend: SQLBackend

    /// Meetings inserted per statement: 5 binds each stays far below both databases' bind limits.
    private static let batchSize = 500

    func save(_ draft: ScheduleDraft) async throws -> ScheduleVersion {
        try await backend.write { [backend] sql in try await Self.insert(draft, backend: backend, sql) }
    }

    /// Stores `draft` as the next version in the caller's transaction.
    static func insert(_ draft: ScheduleDraft, backend: SQLBackend, _ sql: any SQLDatabase) async throws
        -> ScheduleVersion
    {
        let meetings = draft.meetings.sorted(by: Meeting.scheduleOrder)
        let number = try await backend.next(.scheduleVersion, sql)
        let info = ScheduleVersionInfo(
            version: number, objective: draft.objective, upperBound: draft.upperBound,
            label: draft.label, summaryJSON: draft.summaryJSON, meetingCount: meetings.count,
            createdAt: draft.createdAt, publishedAt: nil)
        try await sql.insert(into: "schedule_versions")
            .columns(
                "version", "objective", "upper_bound", "label", "summary_json", "meeting_count",
                "created_at", "published_at"
            )
            .values(
                SQLBind(number), SQLBind(draft.objective), ParticipantRow.bindOrNull(draft.upperBound),
                ParticipantRow.bindOrNull(draft.label), ParticipantRow.bindOrNull(draft.summaryJSON),
                SQLBind(meetings.count), SQLBind(draft.createdAt.timeIntervalSince1970),
                SQLLiteral.null
            )
            .run()
        var start = meetings.startIndex
        while start < meetings.endIndex {
            let end = min(start + Self.batchSize, meetings.endIndex)
            var insert = sql.insert(into: "schedule_meetings")
                .columns("version", "first_id", "second_id", "slot", "table_id")
            for meeting in meetings[start..<end] {
                insert = insert.values(
                    SQLBind(number), SQLBind(meeting.participants[0].rawValue),
                    SQLBind(meeting.participants[1].rawValue), SQLBind(meeting.slot.rawValue),
                    SQLBind(meeting.table.rawValue))
            }
            try await insert.run()
            start = end
        }
        return ScheduleVersion(info: info, meetings: meetings)
    }

    func versions() async throws -> [ScheduleVersionInfo] {
        try await backend.sql().select().column("*").from("schedule_versions").orderBy("version").all()
            .map(Self.decodeInfo)
    }

    func version(_ number: Int) async throws -> ScheduleVersion? {
        let sql = try backend.sql()
        guard
            let info = try await sql.select().column("*").from("schedule_versions")
                .where("version", .equal, number).first().map(Self.decodeInfo)
        else { return nil }
        return ScheduleVersion(info: info, meetings: try await meetings(of: number, sql))
    }

    func latest() async throws -> ScheduleVersion? {
        let row = try await backend.sql().select()
            .column(SQLFunction("MAX", args: SQLColumn("version")), as: "latest")
            .from("schedule_versions").first()
        guard let row, !(try row.decodeNil(column: "latest")) else { return nil }
        return try await version(try row.decode(column: "latest", as: Int.self))
    }

    func publish(_ number: Int, at time: Date, followUp: FollowUp, expectedPublished: Int?) async throws
        -> ScheduleVersionInfo
    {
        try await backend.write { sql in
            guard
                var info = try await sql.select().column("*").from("schedule_versions")
                    .where("version", .equal, number).first().map(Self.decodeInfo)
            else { throw RepositoryError.scheduleVersionNotFound(number) }
            if let expectedPublished {
                // On PostgreSQL the published rows stay locked until the end of the
                // transaction, so a second publication waits here, then (its next
                // statement seeing what the first committed) finds the version changed.
                // SQLite's single writer already runs one publication at a time.
                if backend.dialect == .postgres {
                    try await sql.raw(
                        "SELECT version FROM schedule_versions WHERE published_at IS NOT NULL FOR UPDATE"
                    ).run()
                }
                let found = try await sql.select().column("version").from("schedule_versions")
                    .where("published_at", .isNot, SQLLiteral.null)
                    .orderBy("published_at", .descending).orderBy("version", .descending)
                    .limit(1).first()
                    .map { try $0.decode(column: "version", as: Int.self) }
                guard (found ?? ScheduleVersionInfo.noneExpected) == expectedPublished else {
                    throw RepositoryError.publishedVersionChanged(expected: expectedPublished, found: found)
                }
            }
            try await sql.update("schedule_versions")
                .set("published_at", to: time.timeIntervalSince1970)
                .where("version", .equal, number)
                .run()
            try await backend.apply(followUp, sql)
            info.publishedAt = time
            return info
        }
    }

    func published() async throws -> ScheduleVersion? {
        let row = try await backend.sql().select().column("version").from("schedule_versions")
            .where("published_at", .isNot, SQLLiteral.null)
            .orderBy("published_at", .descending).orderBy("version", .descending)
            .limit(1).first()
        guard let row else { return nil }
        return try await version(try row.decode(column: "version", as: Int.self))
    }

    func meetings(of participant: ParticipantID, inVersion number: Int) async throws -> [Meeting] {
        let sql = try backend.sql()
        let exists = try await sql.select().column("version").from("schedule_versions")
            .where("version", .equal, number).first()
        guard exists != nil else { throw RepositoryError.scheduleVersionNotFound(number) }
        return try await sql.select().column("*").from("schedule_meetings")
            .where("version", .equal, number)
            .where { group in
                group.where("first_id", .equal, participant.rawValue)
                    .orWhere("second_id", .equal, participant.rawValue)
            }
            .orderBy("slot").orderBy("table_id")
            .all().map(Self.decodeMeeting)
    }

    private func meetings(of number: Int, _ sql: any SQLDatabase) async throws -> [Meeting] {
        try await sql.select().column("*").from("schedule_meetings")
            .where("version", .equal, number)
            .all().map(Self.decodeMeeting)
            .sorted(by: Meeting.scheduleOrder)
    }

    private static func decodeMeeting(_ row: any SQLRow) throws -> Meeting {
        Meeting(
            ParticipantID(try row.decode(column: "first_id", as: String.self)),
            ParticipantID(try row.decode(column: "second_id", as: String.self)),
            slot: SlotID(try row.decode(column: "slot", as: String.self)),
            table: TableID(try row.decode(column: "table_id", as: String.self)))
    }

    private static func decodeInfo(_ row: any SQLRow) throws -> ScheduleVersionInfo {
        func optional<Value: Decodable>(_ column: String, _ type: Value.Type) throws -> Value? {
            try row.decodeNil(column: column) ? nil : row.decode(column: column, as: type)
        }
        return ScheduleVersionInfo(
            version: try row.decode(column: "version", as: Int.self),
            objective: try row.decode(column: "objective", as: Int.self),
            upperBound: try optional("upper_bound", Int.self),
            label: try optional("label", String.self),
            summaryJSON: try optional("summary_json", String.self),
            meetingCount: try row.decode(column: "meeting_count", as: Int.self),
            createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
            publishedAt: try optional("published_at", Double.self).map(Date.init(timeIntervalSince1970:)))
    }
}
