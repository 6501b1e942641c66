import Foundation
import PartneringCore
import Registration

/// The shared passcode desks sign in with, kept as a bcrypt hash in the store (so that every
/// server process checks the same one). Set it with `partnering checkin passcode`; setting a
/// new one ends the desks' open sessions on every process.
public struct DeskPasscode: Sendable {
    private let repository: any DeskPasscodeRepository
    private let sessions: any SessionRevocationRepository
    private let clock: @Sendable () -> Date

    /// - Parameter sessions: where desk sessions are recorded (the store's), to end them when
    ///   the passcode changes.
    public init(
        repository: any DeskPasscodeRepository, sessions: any SessionRevocationRepository,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.repository = repository
        self.sessions = sessions
        self.clock = clock
    }

    /// Whose sessions desk sessions are in ``SessionRevocationRepository``: all desks share one
    /// passcode, so a new passcode ends them all.
    public static let sessionHolder = "desks"

    /// Why a passcode cannot be set.
    public struct PasscodeError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The shortest passcode accepted.
    public static let minimumLength = 8

    /// The file of the key folder where earlier versions kept the hash.
    public static let formerFile = "desk-passcode"

    /// Sets the passcode (hashed with bcrypt at `cost`, on a thread of its own) and ends the
    /// desk sessions signed in with the former one; returns how many were open.
    @discardableResult
    public func set(_ passcode: String, cost: UInt8 = 12) async throws -> Int {
        guard passcode.count >= Self.minimumLength else {
            throw PasscodeError(description: "a desk passcode has at least \(Self.minimumLength) characters")
        }
        try await repository.setPasscodeHash(await PasswordHasher(cost: cost).hash(passcode), at: clock())
        return try await sessions.revokeSessions(of: Self.sessionHolder)
    }

    /// Sets a new random passcode and returns it (to print once): the rotation. The desk
    /// sessions signed in with the former one end.
    public func generate(cost: UInt8 = 12) async throws -> String {
        // Digits only, in groups of four: quick to type on a desk's number pad.
        var generator = SystemRandomNumberGenerator()
        let digits = (0..<12).map { _ in String(Int.random(in: 0...9, using: &generator)) }
        let passcode = stride(from: 0, to: 12, by: 4).map { digits[$0..<$0 + 4].joined() }.joined(separator: "-")
        try await set(passcode, cost: cost)
        return passcode
    }

    /// Whether a passcode was set.
    public func isSet() async throws -> Bool { try await repository.passcodeHash() != nil }

    /// Whether `passcode` is the desks' passcode; `false` when none was set.
    public func matches(_ passcode: String) async throws -> Bool {
        guard let hash = try await repository.passcodeHash() else { return false }
        return await PasswordHasher().verify(passcode, hash: hash)
    }

    /// Moves the hash an earlier version kept in `keyFolder/desk-passcode` into the store,
    /// unless the store already has a passcode; returns whether it did.
    public func importFormerFile(in keyFolder: URL) async throws -> Bool {
        let file = keyFolder.appendingPathComponent(Self.formerFile)
        guard let data = FileManager.default.contents(atPath: file.path), try await !isSet() else { return false }
        let hash = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard hash.hasPrefix("$2") else {
            throw PasscodeError(description: "\(file.path) does not hold a bcrypt hash")
        }
        try await repository.setPasscodeHash(hash, at: clock())
        return true
    }
}
