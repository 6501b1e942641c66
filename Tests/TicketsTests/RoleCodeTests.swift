import PartneringCore
import Testing

@testable import Tickets

@Suite struct RoleCodeTests {
    @Test(
        "role names of the alphabet round-trip",
        arguments: ["a", "_", "expert", "company", "investor", "organiser", "r-and-d_9", "_________"])
    func roundTrip(name: String) throws {
        let role = Role(rawValue: name)
        #expect(RoleCode.decode(try RoleCode.encode(role)) == role)
        #expect(try RoleCode.encode(role) < 1 << 48)
    }

    @Test("names a ticket cannot carry are refused", arguments: ["", "Expert", "journalist", "café"])
    func refused(name: String) {
        #expect(throws: RoleCode.UnsupportedRole.self) { try RoleCode.encode(Role(rawValue: name)) }
    }

    @Test func documentedValues() throws {
        // expert: e=5 x=24 p=16 e=5 r=18 t=20 in bijective base 38.
        #expect(try RoleCode.encode(.expert) == 447_104_980)
        #expect(try RoleCode.encode("a") == 1)
        #expect(try RoleCode.encode("aa") == 39)
    }

    @Test func numbersOfNoRoleDecodeToNothing() throws {
        #expect(RoleCode.decode(0) == nil)
        let longest = try RoleCode.encode("_________")
        #expect(RoleCode.decode(longest + 1) == nil)
        #expect(RoleCode.decode(1 << 48 - 1) == nil)
    }
}
