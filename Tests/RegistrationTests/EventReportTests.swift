import Foundation
import PartneringCore
import Registration
import Storage
import Testing

@Suite("Event report")
struct EventReportTests {
    @Test(
        "registrations, arrivals, meetings held and feedback add up from the store's records",
        arguments: StoreBackend.testable)
    func figures(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            // Ada–Xia (slot 1), Ada–Yan (slot 2), Bob–Xia (slot 3); Cyd has no meeting.
            let day = try await MeetingFeedbackTests.Day.make(store: store)
            let service = day.fixture.service
            _ = try await service.sendRequest(from: day.cyd, form: RequestForm(to: day.xia.id.rawValue, priority: "1"))
            for (index, person) in [day.ada, day.xia, day.yan].enumerated() {
                let ticket = try #require(TicketID(bytes: service.ticketID(of: person.id)))
                _ = try await store.checkIns.admit(
                    participant: person.id, ticket: ticket, desk: "Entrée A", nonce: "scan-\(index)",
                    at: day.slots[0].start)
            }
            day.move(to: day.slots[2].end)
            let answer = { (attendance: String, usefulness: String, followUp: String) in
                FeedbackForm(attendance: attendance, usefulness: usefulness, followUp: followUp, comment: nil)
            }
            try await day.feedback.record(answer("held", "4", "nda"), about: day.xia.id, by: day.ada)
            try await day.feedback.record(answer("held", "5", "collaboration"), about: day.ada.id, by: day.xia)
            try await day.feedback.record(answer("cancelled", "", ""), about: day.yan.id, by: day.ada)

            // MUT
            let report = try await EventReport.load(
                event: service.event, participants: store.participants, checkIns: store.checkIns,
                requests: store.requests, schedules: store.schedules, feedback: store.meetingFeedback,
                at: day.fixture.clock.now)

            // validation
            #expect(report.total.registered == 5 && report.total.confirmed == 5 && report.total.checkedIn == 3)
            let roles = Dictionary(uniqueKeysWithValues: report.byRole.map { ($0.key, $0) })
            #expect(roles["company"]?.confirmed == 3 && roles["company"]?.checkedIn == 1)
            #expect(roles["expert"]?.confirmed == 2 && roles["expert"]?.checkedIn == 2)
            #expect(report.byCategory.map(\.key) == service.event.categories.map(\.id.rawValue))
            #expect(report.byCountry.map(\.key) == ["FR"])
            let meetings = report.meetings
            let counts: [Int] = [
                meetings.requested, meetings.scheduled, meetings.held, meetings.noShows, meetings.cancelled,
                meetings.unconfirmed,
            ]
            // Ada–Xia said held; Ada–Yan both came but was cancelled; Bob never came.
            #expect(counts == [1, 3, 1, 1, 1, 0])
            #expect(report.usefulness == [0, 0, 0, 1, 1])
            #expect(report.averageUsefulness == 4.5)
            let followUps = Dictionary(uniqueKeysWithValues: report.followUps.map { ($0.plan, $0.count) })
            #expect(followUps == [.none: 1, .call: 0, .nda: 1, .materialTransfer: 0, .collaboration: 1, .other: 0])
            let responses = report.responses
            let answered: [Int] = [
                responses.participantsWithMeetings, responses.participantsAnswered, responses.answers,
                responses.answersPossible, responses.participantRate,
            ]
            #expect(answered == [4, 2, 3, 6, 50])
            let meetingsCSV = String(decoding: report.csv(.meetings).dropFirst(3), as: UTF8.self)
            #expect(
                meetingsCSV
                    == "figure,value\r\nrequested,1\r\nscheduled,3\r\nheld,1\r\nno_show,1\r\ncancelled,1\r\nunconfirmed,0\r\n"
            )
            let feedbackCSV = String(decoding: report.csv(.feedback).dropFirst(3), as: UTF8.self)
            #expect(feedbackCSV.contains("usefulness,5,1\r\n") && feedbackCSV.contains("follow_up,nda,1\r\n"))
            #expect(feedbackCSV.contains("responses,participants_answered,2\r\n"))
            // By group: companies are all of OncoThéra SAS, experts of Institut Curie, everyone
            // follows aml and car-t; Ada rated 4 (NDA), Xia 5 (collaboration).
            let outcome = { (line: EventReport.MeetingOutcomes) in
                [line.scheduled, line.held, line.noShows, line.ratings, line.followUps]
            }
            #expect(report.meetingsByRole.map(\.key) == ["company", "expert"])
            #expect(report.meetingsByRole.map(outcome) == [[3, 1, 1, 1, 1], [3, 1, 1, 1, 1]])
            #expect(report.meetingsByRole.map(\.averageUsefulness) == [4, 5])
            #expect(report.meetingsByOrganisation.map(\.key) == ["Institut Curie", "OncoThéra SAS"])
            #expect(report.meetingsByTopic.map(\.key) == ["aml", "car-t"])
            #expect(report.meetingsByTopic.map(outcome) == [[3, 1, 1, 2, 2], [3, 1, 1, 2, 2]])
            #expect(report.meetingsByTopic.first?.averageUsefulness == 4.5)
            let groupsCSV = String(decoding: report.csv(.groups).dropFirst(3), as: UTF8.self)
            #expect(
                groupsCSV.hasPrefix(
                    "group,key,scheduled,held,no_show,ratings,average_usefulness,follow_ups\r\nrole,company,3,1,1,1,4.0,1\r\n"
                ))
            #expect(groupsCSV.contains("organisation,OncoThéra SAS,3,1,1,1,4.0,1\r\ntopic,aml,3,1,1,2,4.5,2\r\n"))
            let registrationsCSV = String(decoding: report.csv(.registrations).dropFirst(3), as: UTF8.self)
            #expect(registrationsCSV.hasPrefix("group,key,registered,confirmed,checked_in\r\ntotal,all,5,5,3\r\n"))
            #expect(
                registrationsCSV.contains("role,expert,2,2,2\r\n") && registrationsCSV.contains("country,FR,5,5,3\r\n"))
        }
    }

    @Test("without check-ins or answers, scheduled meetings are unconfirmed, not no-shows")
    func nothingKnown() async throws {
        let day = try await MeetingFeedbackTests.Day.make()
        let report = try await EventReport.load(
            event: day.fixture.service.event, participants: day.fixture.store.participants,
            checkIns: day.fixture.store.checkIns, requests: day.fixture.store.requests,
            schedules: day.fixture.store.schedules, feedback: day.fixture.store.meetingFeedback,
            at: day.fixture.clock.now)
        #expect(report.meetings.scheduled == 3 && report.meetings.unconfirmed == 3 && report.meetings.noShows == 0)
        #expect(report.averageUsefulness == nil)
        #expect(report.responses.participantRate == 0)
    }
}
