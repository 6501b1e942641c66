import CheckIn
import Foundation
import PartneringCore
import Registration
import Storage
import Testing

@Suite("Desk sign-in")
struct DeskSignInTests {
    /// A desk sign-in over the fixture's store, with the passcode `hall desk passcode` set in it.
    static func signIn(_ desk: DeskFixture) async throws -> (DeskSignIn, TokenSigner) {
        let clock = TestClock(DeskFixture.morning)
        let dependencies = ServiceDependencies.controlled(clock: clock)
        let signer = TokenSigner(secret: dependencies.randomBytes(32), dependencies: dependencies)
        let passcode = DeskPasscode(
            repository: desk.store.deskPasscodes, sessions: desk.store.sessions, clock: { clock.now })
        try await passcode.set("hall desk passcode", cost: 4)
        let signIn = DeskSignIn(
            passcode: passcode, attempts: desk.store.signInAttempts, auditLog: desk.store.auditLog,
            sessions: desk.store.sessions, signer: signer, clock: { clock.now })
        return (signIn, signer)
    }

    @Test("the passcode gives a desk token; a wrong one is refused and written down", arguments: Backend.testable)
    func passcode(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let (signIn, signer) = try await Self.signIn(desk)

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
            let (signIn, _) = try await Self.signIn(desk)
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
            let (signIn, _) = try await Self.signIn(desk)
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

    @Test(
        "the passcode lives in the store: a rotation is seen by every server on it, a former file is imported once",
        arguments: Backend.testable)
    func passcodeInTheStore(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let (signIn, _) = try await Self.signIn(desk)
            // Another server process on the same store: its own passcode object, the same row.
            let other = DeskPasscode(repository: desk.store.deskPasscodes, sessions: desk.store.sessions)
            #expect(try await other.matches("hall desk passcode"))

            let rotated = try await other.generate(cost: 4)
            await #expect(throws: Refusal.invalidCredentials) {
                try await signIn.signIn(desk: "A", passcode: "hall desk passcode", client: "10.0.0.9")
            }
            _ = try await signIn.signIn(desk: "A", passcode: rotated, client: "10.0.0.9")
            await #expect(throws: DeskPasscode.PasscodeError.self) { try await other.set("short", cost: 4) }

            // A store with a passcode keeps it: the file of an earlier version is not imported over it.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("desk-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let formerHash = "$2b$04$abcdefghijklmnopqrstuu5Uu0W5gQe0VN1RtpDVjq4T0Zx7.Q0Ky"
            try Data(formerHash.utf8).write(to: folder.appendingPathComponent(DeskPasscode.formerFile))
            #expect(try await !other.importFormerFile(in: folder))
            #expect(try await other.matches(rotated))
        }
    }

    @Test("a store without a passcode takes the hash of the former key-folder file", arguments: [Backend.memory])
    func formerFileImported(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("desk-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let passcode = DeskPasscode(repository: desk.store.deskPasscodes, sessions: desk.store.sessions)
            #expect(try await !passcode.matches("former desk passcode"), "no passcode yet: nothing matches")
            // The hash an earlier version wrote: that of a passcode set in a scratch store.
            let scratch = try await PartneringStore.open(.memory)
            try await DeskPasscode(repository: scratch.deskPasscodes, sessions: scratch.sessions).set(
                "former desk passcode", cost: 4)
            let former = try #require(try await scratch.deskPasscodes.passcodeHash())
            try Data((former + "\n").utf8).write(to: folder.appendingPathComponent(DeskPasscode.formerFile))

            #expect(try await passcode.importFormerFile(in: folder))
            #expect(try await passcode.matches("former desk passcode"))

            try Data("not a hash".utf8).write(to: folder.appendingPathComponent(DeskPasscode.formerFile))
            let emptyStore = try await PartneringStore.open(.memory)
            let empty = DeskPasscode(repository: emptyStore.deskPasscodes, sessions: emptyStore.sessions)
            await #expect(throws: DeskPasscode.PasscodeError.self) { try await empty.importFormerFile(in: folder) }
        }
    }
}
