import Foundation
import PartneringCore
import Storage
import Testing

@testable import Registration

@Suite("Organiser accounts in the store")
struct OrganiserAccountTests {
    @Test(
        "add, list, reset and remove accounts, with clear refusals; another server on the store sees each change",
        arguments: StoreBackend.testable)
    func accountsAreShared(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            // Two servers on one store: each its own services, the same accounts.
            let first = try await Fixture.make(store: store)
            let second = try await Fixture.make(store: store)
            let accounts = first.organisers.accounts

            try await accounts.add(email: " Jane@Example.org ", password: "a long enough password", by: "cli")
            let session = try await second.organisers.signIn(
                email: "jane@example.org", password: "a long enough password", client: "10.0.0.1")
            #expect(try await first.organisers.organiser(token: session.token) == "Jane@Example.org")

            await #expect(throws: OrganiserAccounts.AccountError.duplicate("JANE@example.org")) {
                try await accounts.add(email: "JANE@example.org", password: "another long password", by: "cli")
            }
            await #expect(throws: OrganiserAccounts.AccountError.weakPassword(minimum: 12)) {
                try await accounts.add(email: "short@example.org", password: "too short", by: "cli")
            }
            await #expect(throws: OrganiserAccounts.AccountError.invalidEmail("not an address")) {
                try await accounts.add(email: "not an address", password: "a long enough password", by: "cli")
            }
            // An unknown address is refused as a wrong password is (the same bcrypt work, off the pool).
            await #expect(throws: Refusal.invalidCredentials) {
                try await second.organisers.signIn(
                    email: "nobody@example.org", password: "a long enough password", client: "10.0.0.3")
            }
            await #expect(throws: OrganiserAccounts.AccountError.unknown("nobody@example.org")) {
                try await accounts.resetPassword(
                    email: "nobody@example.org", password: "a long enough password", by: "cli")
            }

            try await accounts.resetPassword(email: "jane@example.org", password: "a brand new password", by: "cli")
            await #expect(throws: Refusal.invalidCredentials) {
                try await second.organisers.signIn(
                    email: "jane@example.org", password: "a long enough password", client: "10.0.0.2")
            }
            _ = try await second.organisers.signIn(
                email: "jane@example.org", password: "a brand new password", client: "10.0.0.2")

            // The last account stays, so that someone can still sign in.
            await #expect(throws: OrganiserAccounts.AccountError.lastAccount("Jane@Example.org")) {
                try await accounts.remove(email: "jane@example.org", by: "cli")
            }
            try await accounts.add(email: "paul@example.org", password: "pauls long password", by: "cli")
            #expect(
                try await second.organisers.accounts.list().map(\.email) == ["Jane@Example.org", "paul@example.org"])
            try await accounts.remove(email: "JANE@example.org", by: "cli")
            // Her session stops working on the other server at its next request.
            await #expect(throws: Refusal.notSignedIn) { try await second.organisers.organiser(token: session.token) }
            await #expect(throws: OrganiserAccounts.AccountError.unknown("jane@example.org")) {
                try await accounts.remove(email: "jane@example.org", by: "cli")
            }
            let actions = try await store.auditLog.list(AuditFilter()).map(\.action).filter {
                $0.hasPrefix("organiser.")
            }
            #expect(actions.filter { $0 == "organiser.create" }.count == 2)
            #expect(actions.contains("organiser.reset_password") && actions.contains("organiser.remove"))
        }
    }

    @Test(
        "a new password also ends the API tokens signed before sessions were recorded by holder (M0024)",
        arguments: StoreBackend.testable)
    func newPasswordEndsUnrecordedTokens(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let fixture = try await Fixture.make(store: store)
            let other = try await Fixture.make(store: store)
            try await fixture.organisers.accounts.add(
                email: "jane@example.org", password: "a long enough password", by: "cli")
            // Signed as before M0024: valid, but not recorded as one of her sessions.
            let unrecorded = fixture.service.signer.sign(.organiserAPI, subject: "jane@example.org")
            #expect(
                try await other.organisers.organiser(token: unrecorded.token, purpose: .organiserAPI)
                    == "jane@example.org")

            // Past the margin allowed for clocks of two processes a little apart.
            fixture.clock.advance(by: OrganiserService.passwordChangeMargin + 1)
            other.clock.advance(by: OrganiserService.passwordChangeMargin + 1)
            try await fixture.organisers.accounts.resetPassword(
                email: "jane@example.org", password: "a brand new password", by: "cli")

            // Refused on every server of the store; one signed in after the change opens.
            await #expect(throws: Refusal.notSignedIn) {
                try await other.organisers.organiser(token: unrecorded.token, purpose: .organiserAPI)
            }
            let fresh = try await other.organisers.signIn(
                email: "jane@example.org", password: "a brand new password", client: "10.0.0.1", purpose: .organiserAPI)
            #expect(
                try await fixture.organisers.organiser(token: fresh.token, purpose: .organiserAPI) == "jane@example.org"
            )
            #expect(
                try await store.organiserAccounts.find(email: "jane@example.org")?.passwordChangedAt
                    == fixture.clock.now)
        }
    }

    @Test(
        "the first start creates one account even when two servers start at once; former accounts are imported once",
        arguments: StoreBackend.testable)
    func bootstrapAndImport(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = try await Fixture.make(store: store)
            let second = try await Fixture.make(store: store)
            async let one = first.organisers.bootstrap(email: "org@example.org", password: nil)
            async let other = second.organisers.bootstrap(email: "org@example.org", password: nil)
            let printed = [try await one, try await other].compactMap { $0 }
            #expect(printed.count == 1, "one server creates the account and prints its password")
            _ = try await second.organisers.signIn(email: "org@example.org", password: printed[0], client: "c")

            let former = [
                OrganiserAccount(email: "org@example.org", passwordHash: "$2b$04$kept", createdAt: Date()),
                OrganiserAccount(
                    email: "old@example.org",
                    passwordHash: try #require(try await store.organiserAccounts.find(email: "org@example.org"))
                        .passwordHash, createdAt: Date(timeIntervalSince1970: 1_700_000_000)),
            ]
            #expect(try await first.organisers.accounts.importAccounts(former) == 1, "the existing account is kept")
            #expect(try await second.organisers.accounts.importAccounts(former) == 0, "a second import adds nothing")
            _ = try await second.organisers.signIn(email: "old@example.org", password: printed[0], client: "c")
            let session = try await second.organisers.signIn(
                email: "org@example.org", password: printed[0], client: "c")

            // A restart with a configured password that differs: it wins, and ends the sessions
            // opened with the former one.
            #expect(
                try await first.organisers.bootstrap(email: "org@example.org", password: "a configured password") == nil
            )
            await #expect(throws: Refusal.notSignedIn) { try await second.organisers.organiser(token: session.token) }
            let fresh = try await second.organisers.signIn(
                email: "org@example.org", password: "a configured password", client: "c")
            // The same configured password at the next start changes nothing.
            _ = try await first.organisers.bootstrap(email: "org@example.org", password: "a configured password")
            #expect(try await first.organisers.organiser(token: fresh.token) == "org@example.org")
        }
    }

    @Test("making a hasher does no bcrypt work: the unknown-account hash is made at the first unknown address, once")
    func dummyHashIsLazy() async {
        let cost: UInt8 = 5  // no other test hashes at this cost, so this one sees the first use
        let hasher = PasswordHasher(cost: cost)
        #expect(PasswordHasher.dummyHashes.withLock { $0[cost] } == nil)

        #expect(await !hasher.verify("a long enough password", hash: nil))
        let made = PasswordHasher.dummyHashes.withLock { $0[cost] }
        #expect(made?.contains("$05$") == true, "a hash of the hasher's cost, for the same work as a real check")
        #expect(await !PasswordHasher(cost: cost).verify("a long enough password", hash: nil))
        #expect(PasswordHasher.dummyHashes.withLock { $0[cost] } == made, "made once, shared by every hasher")

        let real = await hasher.hash("a long enough password")
        #expect(await hasher.verify("a long enough password", hash: real))
        #expect(await !hasher.verify("a wrong password", hash: real))
    }
}
