import Foundation
import PartneringCore

/// The hall boards: organisers create one per area (a range of tables) and revoke it;
/// a screen opens the board's private address (`/board/<id>/<token>`) without signing
/// in. The token is a ``PrivateAddressTokens`` token, like calendar subscriptions'.
public struct SignageBoards: Sendable {
    public let event: EventDefinition
    public let boards: any SignageBoardRepository
    public let signer: TokenSigner
    public let dependencies: ServiceDependencies

    /// The longest board name accepted.
    public static let maximumNameLength = 80

    public init(
        event: EventDefinition, boards: any SignageBoardRepository,
        signer: TokenSigner, dependencies: ServiceDependencies
    ) {
        self.event = event
        self.boards = boards
        self.signer = signer
        self.dependencies = dependencies
    }

    /// A board with its address.
    public struct Listed: Sendable, Hashable {
        public var board: SignageBoard
        public var path: String
    }

    /// Every board with its address, oldest first.
    public func list() async throws -> [Listed] {
        try await boards.boards().map { Listed(board: $0, path: path(of: $0)) }
    }

    /// Creates a board showing tables `firstTable...lastTable` (positions in the event's
    /// list of tables, as typed in the form); empty bounds mean the first and the last
    /// table. Bad input is ``Refusal/invalidInput(_:)`` naming the field.
    public func create(name: String, firstTable: String, lastTable: String, by organiser: String) async throws
        -> Listed
    {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        var issues: [FieldIssue] = []
        if name.isEmpty {
            issues.append(FieldIssue("name", .required))
        } else if name.count > Self.maximumNameLength {
            issues.append(FieldIssue("name", .tooLong(max: Self.maximumNameLength)))
        }
        let count = event.tables.count
        let first = tableNumber(firstTable, default: 1, field: "firstTable", issues: &issues)
        let last = tableNumber(lastTable, default: count, field: "lastTable", issues: &issues)
        if let first, let last, first > last {
            issues.append(FieldIssue("lastTable", .outOfRange(min: first, max: count)))
        }
        guard issues.isEmpty, let first, let last else { throw Refusal.invalidInput(issues) }
        let now = dependencies.now()
        let board = SignageBoard(
            id: dependencies.randomHex(bytes: 6), name: name, tables: first...last,
            secret: dependencies.randomHex(bytes: 16), createdAt: now)
        try await boards.insertBoard(
            board,
            followUp: FollowUp(auditEntries: [
                AuditEntry(time: now, actor: "organiser:\(organiser)", action: "board.create", subject: board.id)
            ]))
        return Listed(board: board, path: path(of: board))
    }

    /// Revokes a board: its address answers 404 from now on. Unknown ids are
    /// ``Refusal/notFound``.
    public func revoke(id: String, by organiser: String) async throws {
        let audit = AuditEntry(
            time: dependencies.now(), actor: "organiser:\(organiser)", action: "board.revoke", subject: id)
        guard try await boards.removeBoard(id: id, followUp: FollowUp(auditEntries: [audit])) else {
            throw Refusal.notFound
        }
    }

    /// The board that `token` opens, or `nil` for an unknown board or a wrong token
    /// (the two are not told apart).
    public func board(id: String, token: String) async throws -> SignageBoard? {
        guard id.utf8.count <= 32, let board = try await boards.board(id: id),
            tokens.matches(token, subject: board.id, secret: board.secret)
        else { return nil }
        return board
    }

    /// The board's private address.
    public func path(of board: SignageBoard) -> String {
        "/board/\(board.id)/\(tokens.token(subject: board.id, secret: board.secret))"
    }

    private var tokens: PrivateAddressTokens { PrivateAddressTokens(purpose: "signage-board", signer: signer) }

    private func tableNumber(_ text: String, default value: Int, field: String, issues: inout [FieldIssue]) -> Int? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return value }
        guard text.count <= 6, let number = Int(text) else {
            issues.append(FieldIssue(field, .notANumber))
            return nil
        }
        guard (1...max(1, event.tables.count)).contains(number) else {
            issues.append(FieldIssue(field, .outOfRange(min: 1, max: event.tables.count)))
            return nil
        }
        return number
    }
}
