/// How busy the store's connections are at one moment, for `/metrics`.
///
/// The connection figures mean the same on both databases: SQLite's reader connections
/// (the single writer connection is shown by ``writerQueue``), or this process's PostgreSQL
/// connection pool. Each SQLite commit also records how many transactions it carried (group
/// commit) under ``commitGroupSizeLabel``, through swift-metrics.
public struct StorePoolUse: Sendable, Hashable {
    /// The most connections the pool opens.
    public var maximum: Int
    /// Connections running a statement (or holding a transaction) now.
    public var inUse: Int
    /// Connections open and waiting for work.
    public var idle: Int
    /// SQLite: transactions (and statements outside one) waiting for the writer connection
    /// now; `nil` for PostgreSQL, where writes take any pooled connection.
    public var writerQueue: Int?

    public init(maximum: Int, inUse: Int, idle: Int, writerQueue: Int?) {
        self.maximum = maximum
        self.inUse = inUse
        self.idle = idle
        self.writerQueue = writerQueue
    }

    /// The swift-metrics recorder of the transactions each SQLite commit carried.
    public static let commitGroupSizeLabel = "partnering_store_commit_group_size"
}
