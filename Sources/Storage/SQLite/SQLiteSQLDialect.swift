import SQLKit

/// How SQLKit writes statements for SQLite: `?NNN` placeholders, double-quoted names,
/// `UPSERT` and `RETURNING` (the store needs SQLite 3.35 or later, checked when a
/// connection opens: ``SQLiteHandle/minimumVersionNumber``), no enum types, one change per
/// `ALTER TABLE`.
struct SQLiteSQLDialect: SQLDialect {
    var name: String { "sqlite" }
    var identifierQuote: any SQLExpression { SQLRaw("\"") }
    var literalStringQuote: any SQLExpression { SQLRaw("'") }
    func bindPlaceholder(at position: Int) -> any SQLExpression { SQLRaw("?\(position)") }
    func literalBoolean(_ value: Bool) -> any SQLExpression { SQLRaw(value ? "TRUE" : "FALSE") }
    /// SQLite has no `DEFAULT` keyword in values; `NULL` makes a column take its default.
    var literalDefault: any SQLExpression { SQLLiteral.null }
    var supportsIfExists: Bool { true }
    var supportsDropBehavior: Bool { false }
    /// An `INTEGER PRIMARY KEY` numbers rows by itself; `AUTOINCREMENT` only forbids reuse.
    var supportsAutoIncrement: Bool { false }
    var autoIncrementClause: any SQLExpression { SQLRaw("AUTOINCREMENT") }
    var enumSyntax: SQLEnumSyntax { .unsupported }
    var triggerSyntax: SQLTriggerSyntax {
        SQLTriggerSyntax(create: [.supportsBody, .supportsCondition, .supportsUpdateColumns], drop: [])
    }
    var alterTableSyntax: SQLAlterTableSyntax { SQLAlterTableSyntax(allowsBatch: false) }
    var upsertSyntax: SQLUpsertSyntax { .standard }
    var supportsReturning: Bool { true }
    var unionFeatures: SQLUnionFeatures { [.union, .unionAll, .intersect, .except] }

    /// `BIGINT` as `INTEGER`, so that a 64-bit key is SQLite's row number.
    func customDataType(for dataType: SQLDataType) -> (any SQLExpression)? {
        if case .bigint = dataType { return SQLDataType.int }
        return nil
    }

    func nestedSubpathExpression(in column: any SQLExpression, for path: [String]) -> (any SQLExpression)? {
        guard !path.isEmpty else { return nil }
        return SQLFunction("json_extract", args: column, SQLLiteral.string("$." + path.joined(separator: ".")))
    }
}
