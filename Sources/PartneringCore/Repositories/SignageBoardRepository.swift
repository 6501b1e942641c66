import Foundation

/// A "now and next" board shown on a screen in the hall: the meetings of a range of
/// tables. Its address carries a token derived from `secret` (see the registration
/// service's `SignageBoards`); removing the board revokes the address.
public struct SignageBoard: Sendable, Hashable, Identifiable {
    /// A short random id, part of the address.
    public var id: String
    /// What organisers call it ("Hall A").
    public var name: String
    /// The tables shown, by their position in the event's list of tables (1-based).
    public var tables: ClosedRange<Int>
    public var secret: String
    public var createdAt: Date

    public init(id: String, name: String, tables: ClosedRange<Int>, secret: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.tables = tables
        self.secret = secret
        self.createdAt = createdAt
    }
}

/// The hall boards organisers created.
public protocol SignageBoardRepository: Sendable {
    /// Every board, oldest first.
    func boards() async throws -> [SignageBoard]
    func board(id: String) async throws -> SignageBoard?
    /// Stores a new board; `followUp` (its audit entry) commits with it.
    func insertBoard(_ board: SignageBoard, followUp: FollowUp) async throws
    /// Removes a board (its address stops working); returns whether there was one.
    /// `followUp` (the revocation's audit entry) commits with the removal, and only with it.
    func removeBoard(id: String, followUp: FollowUp) async throws -> Bool
}
