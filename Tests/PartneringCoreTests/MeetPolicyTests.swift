import PartneringCore
import Testing

@Suite("Meet policy and meetings")
struct MeetPolicyTests {
    @Test("pairs are unordered and roles not listed may not meet")
    func pairs() {
        let policy = MeetPolicy.companiesMeetExperts

        #expect(policy.allows(.company, .expert))
        #expect(policy.allows(.expert, .company))
        #expect(!policy.allows(.expert, .expert))
        #expect(policy.counterparts(of: .company) == [.expert])
    }

    @Test("a role may meet its own kind when the event says so")
    func sameRole() {
        let policy = MeetPolicy(pairs: [["business", "business"]])

        #expect(policy.allows("business", "business"))
        #expect(policy.counterparts(of: "business") == ["business"])
    }

    @Test("a meeting knows its participants in canonical order")
    func meeting() {
        let meeting = Meeting("e001", "c001", slot: "d1-0900", table: "T01")

        #expect(meeting.participants == ["c001", "e001"])
        #expect(meeting.counterpart(of: "e001") == "c001")
        #expect(meeting.counterpart(of: "x") == nil)
        #expect(meeting.involves("c001"))
    }

    @Test("requests count as open until declined or withdrawn")
    func requestStatus() {
        #expect(RequestStatus.pending.isOpen)
        #expect(RequestStatus.accepted.isOpen)
        #expect(!RequestStatus.declined.isOpen)
        #expect(!RequestStatus.withdrawn.isOpen)
    }
}
