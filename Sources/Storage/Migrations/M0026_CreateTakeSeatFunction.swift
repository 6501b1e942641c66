import FluentKit
import SQLKit

/// PostgreSQL: `partnering_take_seat(category, capacity, awaiting_approval)`, the locked part
/// of a registration as one server-side call. It takes the next participant number (which
/// locks the counter row, the registration lock, until the transaction ends), then decides
/// the status from the seats committed before the lock was taken: `pending` when awaiting
/// approval, `confirmed` while the category has a free seat, else `waitlisted` with the next
/// rank. A registration is then one statement sent in autocommit, so the lock is held while
/// the server runs it and commits, never across a round trip to the client.
///
/// It must be a volatile PL/pgSQL function, not a `WITH` part of the registration's statement:
/// a statement reads the database as it was when it started, before it waited for the lock,
/// whereas each statement inside a volatile function reads it afresh, after the lock.
/// SQLite needs nothing: its transactions are the only writer from their `BEGIN IMMEDIATE`.
struct M0026_CreateTakeSeatFunction: AsyncMigration {
    var name: String { "M0026_CreateTakeSeatFunction" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase
        guard sql.dialect.name != "sqlite" else { return }
        try await sql.raw(
            """
            CREATE FUNCTION partnering_take_seat(seat_category TEXT, seat_capacity BIGINT, awaiting_approval BOOLEAN)
            RETURNS TABLE (taken_number BIGINT, decided_status TEXT, decided_rank BIGINT)
            LANGUAGE plpgsql VOLATILE AS $$
            DECLARE
                number_taken BIGINT;
                seats_taken BIGINT;
            BEGIN
                UPDATE counters SET value = value + 1 WHERE name = 'participant_number' RETURNING value INTO number_taken;
                IF number_taken IS NULL THEN
                    RAISE EXCEPTION 'the counter participant_number is missing';
                END IF;
                IF awaiting_approval THEN
                    RETURN QUERY SELECT number_taken, 'pending'::TEXT, NULL::BIGINT;
                    RETURN;
                END IF;
                SELECT s.confirmed INTO seats_taken FROM category_seats s WHERE s.category = seat_category;
                IF COALESCE(seats_taken, 0) < seat_capacity THEN
                    RETURN QUERY SELECT number_taken, 'confirmed'::TEXT, NULL::BIGINT;
                ELSE
                    RETURN QUERY SELECT number_taken, 'waitlisted'::TEXT,
                        COALESCE((SELECT MAX(p.waitlist_rank) FROM participants p WHERE p.category = seat_category), 0) + 1;
                END IF;
            END
            $$
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sqlDatabase
        guard sql.dialect.name != "sqlite" else { return }
        try await sql.raw("DROP FUNCTION partnering_take_seat(TEXT, BIGINT, BOOLEAN)").run()
    }
}
