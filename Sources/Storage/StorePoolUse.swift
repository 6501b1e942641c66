/// How busy the store's SQLite connections are at one moment, for `/metrics`: the reader
/// connections running a statement and the tasks waiting for the single writer. Each commit
/// also records how many transactions it carried (group commit) under
/// ``commitGroupSizeLabel``, through swift-metrics.
public struct StorePoolUse: Sendable, Hashable {
    /// Reader connections the store keeps.
    public var readers: Int
    /// Reader connections running a statement now.
    public var readersBusy: Int
    /// Transactions (and statements outside one) waiting for the writer connection now.
    public var writerQueue: Int

    public init(readers: Int, readersBusy: Int, writerQueue: Int) {
        self.readers = readers
        self.readersBusy = readersBusy
        self.writerQueue = writerQueue
    }

    /// The swift-metrics recorder of the transactions each SQLite commit carried.
    public static let commitGroupSizeLabel = "partnering_store_commit_group_size"
}
