import CheckIn
import Foundation
import PartneringCore
import Registration
import Testing

@Suite("Desk sign-in")
struct DeskSignInTests {
    /// A desk sign-in over the fixture's store, with its passcode in a fresh key folder.
    static func signIn(_ desk: DeskFixture, folder: URL) throws -> (DeskSignIn, TokenSigner) {
        let clock = TestClock(DeskFixture.morning)
        let dependencies = ServiceDependencies.controlled(clock: clock)
        let signer = TokenSigner(secret: dependencies.randomBytes(32), dependencies: dependencies)
        let passcode = DeskPasscode(keyFolder: folder)
        try passcode.set("hall desk passcode", cost: 4)
        let signIn = DeskSignIn(
            passcode: passcode, attempts: desk.store.signInAttempts, auditLog: desk.store.auditLog, signer: signer,
            clock: { clock.now })
        return (signIn, signer)
    }

    @Test("the passcode gives a desk token; a wrong one is refused and written down", arguments: Backend.testable)
    func passcode(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("desk-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let (signIn, signer) = try Self.signIn(desk, folder: folder)

            await #expect(throws: Refusal.invalidCredentials) {
                try await signIn.signIn(desk: "Entrée A", passcode: "guess", client: "10.0.0.9")
            }
            let signedIn = try await signIn.signIn(
                desk: "  Entrée A ", passcode: "hall desk passcode", client: "10.0.0.9")
            #expect(try signer.verify(signedIn.token, for: .deskSession).subject == "Entrée A")

            // Newest first.
            let actions = try await desk.store.auditLog.list(AuditFilter(subject: "Entrée A")).map(\.action)
            #expect(actions == ["desk.login", "desk.login_failed"])
        }
    }

    @Test("an empty or overlong desk name is a field error, not a passcode try", arguments: [Backend.memory])
    func deskName(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("desk-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let (signIn, _) = try Self.signIn(desk, folder: folder)
            await #expect(throws: Refusal.invalidInput([FieldIssue("desk", .required)])) {
                try await signIn.signIn(desk: "   ", passcode: "hall desk passcode", client: "10.0.0.9")
            }
            await #expect(throws: Refusal.invalidInput([FieldIssue("desk", .tooLong(max: 64))])) {
                try await signIn.signIn(
                    desk: String(repeating: "d", count: 65), passcode: "hall desk passcode", client: "10.0.0.9")
            }
        }
    }

    @Test("five wrong passcodes from one client lock that client out, not the others", arguments: Backend.testable)
    func throttle(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("desk-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let (signIn, _) = try Self.signIn(desk, folder: folder)
            for _ in 0..<5 {
                await #expect(throws: Refusal.invalidCredentials) {
                    try await signIn.signIn(desk: "A", passcode: "guess", client: "10.0.0.9")
                }
            }
            await #expect {
                try await signIn.signIn(desk: "A", passcode: "hall desk passcode", client: "10.0.0.9")
            } throws: { error in
                if case Refusal.tooManyAttempts(let seconds) = error { seconds > 0 } else { false }
            }
            _ = try await signIn.signIn(desk: "B", passcode: "hall desk passcode", client: "10.0.0.10")
        }
    }
}
