import FileSupport
import Foundation
import HummingbirdBcrypt
import ThreadSupport

/// The shared passcode desks sign in with, kept as a bcrypt hash in the key folder
/// (`desk-passcode`, mode 600). Set it with `partnering checkin passcode`.
public struct DeskPasscode: Sendable {
    public let file: URL

    public init(keyFolder: URL) { file = keyFolder.appendingPathComponent("desk-passcode") }

    /// Why a passcode cannot be set.
    public struct PasscodeError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The shortest passcode accepted.
    public static let minimumLength = 8

    /// Sets the passcode (hashed with bcrypt at `cost`).
    public func set(_ passcode: String, cost: UInt8 = 12) throws {
        guard passcode.count >= Self.minimumLength else {
            throw PasscodeError(description: "a desk passcode has at least \(Self.minimumLength) characters")
        }
        try AtomicFile.writeSecret(Data(Bcrypt.hash(passcode, cost: cost).utf8), to: file.path)
    }

    /// Sets a new random passcode and returns it (to print once).
    public func generate(cost: UInt8 = 12) throws -> String {
        // Digits only, in groups of four: quick to type on a desk's number pad.
        var generator = SystemRandomNumberGenerator()
        let digits = (0..<12).map { _ in String(Int.random(in: 0...9, using: &generator)) }
        let passcode = stride(from: 0, to: 12, by: 4).map { digits[$0..<$0 + 4].joined() }.joined(separator: "-")
        try set(passcode, cost: cost)
        return passcode
    }

    /// Whether `passcode` is the desks' passcode; `false` when none was set.
    public func matches(_ passcode: String) async -> Bool {
        guard let hash = FileManager.default.contents(atPath: file.path) else { return false }
        let text = String(decoding: hash, as: UTF8.self)
        return await PasswordHashingThread.run { Bcrypt.verify(passcode, hash: text) }
    }
}
