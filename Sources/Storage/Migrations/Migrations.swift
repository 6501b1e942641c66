import FluentKit
import SQLKit

/// The schema's history, in order. Rules (see docs/storage.md): a migration is
/// numbered, makes one schema change, and is never edited once it landed on
/// `main`; a later migration corrects an earlier one. Names are stored in the
/// `_fluent_migrations` table, so they never change either.
enum SchemaMigrations {
    static let all: [any AsyncMigration] = [
        M0001_CreateCounters(),
        M0002_CreateParticipants(),
        M0003_CreateMeetingRequests(),
        M0004_CreateScheduleVersions(),
        M0005_CreateScheduleMeetings(),
        M0006_CreateAuditLog(),
        M0007_CreateIdempotencyKeys(),
        M0008_CreateTickets(),
        M0009_CreateCheckIns(),
        M0010_CreateScanNonces(),
        M0011_CreateCategorySeats(),
        M0012_CreateRevokedSessions(),
        M0013_CreateNoticeQueue(),
        M0014_CreateSignInAttempts(),
        M0015_CreateCalendarFeeds(),
        M0016_CreateSignageBoards(),
        M0017_CreateSchedulingRuns(),
        M0021_CreateMeetingFeedback(),
        M0018_CreateOrganiserAccounts(),
        M0019_CreateDeskPasscodes(),
        M0022_CreateAbsences(),
        M0024_CreateIssuedSessions(),
        M0025_AddPasswordChangedAt(),
        M0026_CreateTakeSeatFunction(),
    ]
}

extension Database {
    /// This database as a SQL database, for statements Fluent's schema builder lacks.
    var sqlDatabase: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else { throw StorageError.notSQL }
            return sql
        }
    }
}
