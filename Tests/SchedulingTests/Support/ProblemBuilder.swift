import Foundation
import PartneringCore
import Scheduling

/// Small problems for tests, written out like an organiser would.
enum ProblemBuilder {
    /// Slots of 30 minutes from 09:00 Paris; `days` days of `perDay` slots, ids `dD-HHMM`.
    static func slots(perDay: Int, days: Int = 1) -> [ProblemDocument.Slot] {
        var result: [ProblemDocument.Slot] = []
        for day in 1...days {
            for index in 0..<perDay {
                let minutes = 9 * 60 + index * 30
                let start = String(format: "2026-11-%02dT%02d:%02d:00+01:00", 12 + day, minutes / 60, minutes % 60)
                let end = String(
                    format: "2026-11-%02dT%02d:%02d:00+01:00", 12 + day, (minutes + 25) / 60, (minutes + 25) % 60)
                result.append(
                    .init(id: String(format: "d%d-%02d%02d", day, minutes / 60, minutes % 60), start: start, end: end))
            }
        }
        return result
    }

    static func problem(
        slots: [ProblemDocument.Slot], tables: Int, participants: [ProblemDocument.Participant],
        requests: [ProblemDocument.Request], pinned: [ProblemDocument.Pinned]? = nil, policy: [[String]]? = nil,
        defaultCap: Int? = nil
    ) -> ProblemDocument {
        ProblemDocument(
            event: .init(name: "Test day", timezone: "Europe/Paris"), slots: slots,
            tables: (1...max(1, tables)).prefix(tables).map { .init(id: "T\($0)") },
            policy: policy.map { .init(meet: $0) }, defaults: defaultCap.map { .init(maxMeetings: $0) },
            participants: participants, requests: requests, pinned: pinned)
    }

    /// A random small problem: few enough pairs and slots to enumerate every schedule.
    static func random(seed: UInt64, maxPairs: Int = 7, bipartite: Bool = true) -> ProblemDocument {
        var random = SeededRandom(seed: seed)
        func below(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        let days = below(3) == 0 ? 2 : 1
        let slots = slots(perDay: 1 + below(3), days: days)
        let tables = 1 + below(2)
        let count = 3 + below(4)
        var participants: [ProblemDocument.Participant] = []
        var hosts = 0
        for i in 0..<count {
            let role = bipartite ? (i % 2 == 0 ? "company" : "expert") : "business"
            var participant = ProblemDocument.Participant(id: "p\(i)", role: role)
            if below(3) == 0 { participant.available = slots.filter { _ in below(3) > 0 }.map(\.id) }
            if below(3) == 0 { participant.maxMeetings = below(3) }
            if hosts < tables && below(4) == 0 {
                participant.table = "T\(tables - hosts)"
                hosts += 1
            }
            participants.append(participant)
        }
        var requests: [ProblemDocument.Request] = []
        var seen = Set<[Int]>()
        for _ in 0..<(2 + below(maxPairs)) {
            let a = below(count), b = below(count)
            guard a != b, !bipartite || a % 2 != b % 2, seen.insert([a, b]).inserted else { continue }
            var request = ProblemDocument.Request(from: "p\(a)", to: "p\(b)", priority: 1 + below(3))
            if below(6) == 0 { request.slots = slots.filter { _ in below(2) == 0 }.map(\.id) }
            requests.append(request)
        }
        var document = problem(
            slots: slots, tables: tables, participants: participants, requests: requests,
            policy: bipartite ? nil : [["business", "business"]])
        if let request = requests.first, below(3) == 0 {
            document.pinned = [.init(participants: [request.from, request.to], slot: slots[below(slots.count)].id)]
            if (try? SchedulingModel.compile(document)) == nil { document.pinned = nil }
        }
        return document
    }
}
