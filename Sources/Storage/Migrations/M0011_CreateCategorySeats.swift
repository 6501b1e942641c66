import FluentKit
import SQLKit

/// Confirmed seats per registration category, kept by triggers on `participants`, so that
/// checking a category's capacity reads one row instead of counting every confirmed
/// participant (a cost that grew with each registration).
struct M0011_CreateCategorySeats: AsyncMigration {
    var name: String { "M0011_CreateCategorySeats" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase
        try await sql.raw(
            "CREATE TABLE category_seats (category TEXT PRIMARY KEY, confirmed BIGINT NOT NULL)"
        ).run()
        try await sql.raw(
            """
            INSERT INTO category_seats (category, confirmed) \
            SELECT category, COUNT(*) FROM participants WHERE status = 'confirmed' GROUP BY category
            """
        ).run()
        if sql.dialect.name == "sqlite" {
            for statement in Self.sqliteTriggers { try await sql.raw(SQLQueryString(statement)).run() }
        } else {
            for statement in Self.postgresTriggers { try await sql.raw(SQLQueryString(statement)).run() }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sqlDatabase
        if sql.dialect.name == "sqlite" {
            for trigger in ["insert", "update", "delete"] {
                try await sql.raw("DROP TRIGGER participants_seats_\(unsafeRaw: trigger)").run()
            }
        } else {
            try await sql.raw("DROP TRIGGER participants_seats ON participants").run()
            try await sql.raw("DROP FUNCTION participants_seats()").run()
        }
        try await sql.raw("DROP TABLE category_seats").run()
    }

    /// Adds a seat to `NEW.category` (the `WHERE` also keeps SQLite's parser from reading
    /// `ON CONFLICT` as part of the `SELECT`).
    private static let addSeat = """
        INSERT INTO category_seats (category, confirmed) SELECT NEW.category, 1 WHERE NEW.status = 'confirmed' \
        ON CONFLICT (category) DO UPDATE SET confirmed = category_seats.confirmed + 1;
        """

    private static let removeSeat = """
        UPDATE category_seats SET confirmed = confirmed - 1 \
        WHERE OLD.status = 'confirmed' AND category = OLD.category;
        """

    private static let sqliteTriggers = [
        """
        CREATE TRIGGER participants_seats_insert AFTER INSERT ON participants \
        WHEN NEW.status = 'confirmed' BEGIN \(addSeat) END
        """,
        """
        CREATE TRIGGER participants_seats_update AFTER UPDATE OF status, category ON participants \
        WHEN OLD.status = 'confirmed' OR NEW.status = 'confirmed' BEGIN \(removeSeat) \(addSeat) END
        """,
        """
        CREATE TRIGGER participants_seats_delete AFTER DELETE ON participants \
        WHEN OLD.status = 'confirmed' BEGIN \(removeSeat) END
        """,
    ]

    private static let postgresTriggers = [
        """
        CREATE FUNCTION participants_seats() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN \(removeSeat) END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN \(addSeat) END IF;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER participants_seats AFTER INSERT OR DELETE OR UPDATE OF status, category ON participants \
        FOR EACH ROW EXECUTE FUNCTION participants_seats()
        """,
    ]
}
