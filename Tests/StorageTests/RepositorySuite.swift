import Testing

/// The one repository suite: every test runs against the in-memory store, SQLite
/// and PostgreSQL (when `PARTNERING_TEST_POSTGRES_URL` names a server), so the
/// implementations cannot drift apart. The tests live in extensions, one file per
/// repository.
@Suite("Repository suite")
struct RepositorySuite {
    @Test(
        "PostgreSQL backend is configured",
        .enabled(
            if: PostgresTestServer.url != nil || PostgresTestServer.isCI,
            "PostgreSQL repository tests skipped: PARTNERING_TEST_POSTGRES_URL is not set (run the tests through scripts/with-postgres.sh)"
        ))
    func postgresIsConfigured() {
        if PostgresTestServer.url == nil {
            Issue.record(Comment(rawValue: PostgresTestServer.NotConfigured().description))
        }
    }
}
