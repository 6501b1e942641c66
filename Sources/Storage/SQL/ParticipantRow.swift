import Foundation
import PartneringCore
import SQLKit

/// How a participant maps onto a row of `participants`.
enum ParticipantRow {
    static let table = "participants"

    /// The columns written for a participant, except `number`, `status` and
    /// `waitlist_rank`, which the registration bookkeeping owns.
    static func detailColumns(_ participant: Participant) -> [(String, any SQLExpression)] {
        [
            ("role", SQLBind(participant.role.rawValue)),
            ("category", SQLBind(participant.category.rawValue)),
            ("name", SQLBind(participant.name)),
            ("email", SQLBind(participant.email)),
            ("email_key", SQLBind(SearchText.emailKey(participant.email))),
            ("organisation", SQLBind(participant.organisation)),
            ("job_title", SQLBind(participant.jobTitle)),
            ("country", SQLBind(participant.country)),
            ("phone", bindOrNull(participant.phone)),
            ("topics", SQLBind(JSONColumn.encode(participant.topics))),
            ("profile", SQLBind(participant.profile)),
            ("availability", bindOrNull(participant.availability.map { JSONColumn.encode($0) })),
            ("max_meetings", bindOrNull(participant.maxMeetings)),
            ("language", SQLBind(participant.language.rawValue)),
            ("listed_in_directory", SQLBind(participant.listedInDirectory)),
            ("host_table", bindOrNull(participant.hostTable?.rawValue)),
            ("registered_at", SQLBind(participant.registeredAt.timeIntervalSince1970)),
            ("search_text", SQLBind(SearchText.of(participant))),
        ]
    }

    /// Inserts a new row, not on a waiting list. Written as one SQL text rather than with a
    /// builder: this runs for every registration, and the builder's per-column identifier
    /// quoting cost more than the insert itself.
    static func insert(_ participant: Participant, into sql: any SQLDatabase) async throws {
        try await sql.raw(
            insertStatement(
                participant, number: SQLBind(participant.number), status: SQLBind(participant.status.rawValue),
                waitlistRank: SQLLiteral.null)
        ).run()
    }

    /// The `INSERT` of a new row whose `number`, `status` and `waitlist_rank` are SQL
    /// expressions (the registration decides them in the statement itself, from the seats it
    /// reads); `participant.number` and `participant.status` are not written.
    static func insertStatement(
        _ participant: Participant, number: any SQLExpression, status: any SQLExpression,
        waitlistRank: any SQLExpression
    ) -> SQLQueryString {
        let availability = participant.availability.map { JSONColumn.encode($0) }
        return """
            INSERT INTO participants (id, number, status, waitlist_rank, role, category, name, email, email_key, \
            organisation, job_title, country, phone, topics, profile, availability, max_meetings, language, \
            listed_in_directory, host_table, registered_at, search_text) VALUES (\
            \(bind: participant.id.rawValue), \(number), \(status), \(waitlistRank), \
            \(bind: participant.role.rawValue), \(bind: participant.category.rawValue), \
            \(bind: participant.name), \(bind: participant.email), \(bind: SearchText.emailKey(participant.email)), \
            \(bind: participant.organisation), \(bind: participant.jobTitle), \(bind: participant.country), \
            \(bindOrNull(participant.phone)), \(bind: JSONColumn.encode(participant.topics)), \(bind: participant.profile), \
            \(bindOrNull(availability)), \(bindOrNull(participant.maxMeetings)), \(bind: participant.language.rawValue), \
            \(bind: participant.listedInDirectory), \(bindOrNull(participant.hostTable?.rawValue)), \
            \(bind: participant.registeredAt.timeIntervalSince1970), \(bind: SearchText.of(participant)))
            """
    }

    /// Decodes a row selected with `*`.
    static func decode(_ row: any SQLRow) throws -> Participant {
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        func optionalText(_ column: String) throws -> String? {
            try row.decodeNil(column: column) ? nil : text(column)
        }
        func enumValue<Value: RawRepresentable<String>>(_ column: String, as type: Value.Type) throws -> Value {
            let raw = try text(column)
            guard let value = Value(rawValue: raw) else {
                throw StorageError.corruptValue(table: table, column: column, value: raw)
            }
            return value
        }
        let topics = try JSONColumn.decode(
            [TopicID].self, from: text("topics"), table: table, column: "topics")
        let availability = try optionalText("availability").map {
            try JSONColumn.decode([SlotID].self, from: $0, table: table, column: "availability")
        }
        return Participant(
            id: ParticipantID(try text("id")),
            number: try row.decode(column: "number", as: Int.self),
            role: Role(rawValue: try text("role")),
            category: CategoryID(try text("category")),
            status: try enumValue("status", as: RegistrationStatus.self),
            name: try text("name"),
            email: try text("email"),
            organisation: try text("organisation"),
            jobTitle: try text("job_title"),
            country: try text("country"),
            phone: try optionalText("phone"),
            topics: topics,
            profile: try text("profile"),
            availability: availability,
            maxMeetings: try row.decodeNil(column: "max_meetings")
                ? nil : row.decode(column: "max_meetings", as: Int.self),
            language: try enumValue("language", as: Language.self),
            listedInDirectory: try row.decode(column: "listed_in_directory", as: Bool.self),
            hostTable: try optionalText("host_table").map { TableID($0) },
            registeredAt: Date(
                timeIntervalSince1970: try row.decode(column: "registered_at", as: Double.self)))
    }

    /// A bind for an optional value, NULL when absent.
    static func bindOrNull(_ value: (some Encodable & Sendable)?) -> any SQLExpression {
        guard let value else { return SQLLiteral.null }
        return SQLBind(value)
    }
}
