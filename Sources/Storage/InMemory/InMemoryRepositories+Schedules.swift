import Foundation
import PartneringCore

extension InMemoryRepositories: ScheduleRepository {
    public func save(_ draft: ScheduleDraft) async throws -> ScheduleVersion {
        let info = ScheduleVersionInfo(
            version: schedules.count + 1, objective: draft.objective, upperBound: draft.upperBound,
            label: draft.label, summaryJSON: draft.summaryJSON, meetingCount: draft.meetings.count,
            createdAt: draft.createdAt, publishedAt: nil)
        let version = ScheduleVersion(
            info: info, meetings: draft.meetings.sorted(by: Meeting.scheduleOrder))
        schedules.append(version)
        return version
    }

    public func versions() async throws -> [ScheduleVersionInfo] { schedules.map(\.info) }

    public func version(_ number: Int) async throws -> ScheduleVersion? {
        schedules.indices.contains(number - 1) ? schedules[number - 1] : nil
    }

    public func latest() async throws -> ScheduleVersion? { schedules.last }

    public func publish(_ number: Int, at time: Date, followUp: FollowUp, expectedPublished: Int?) async throws
        -> ScheduleVersionInfo
    {
        guard schedules.indices.contains(number - 1) else {
            throw RepositoryError.scheduleVersionNotFound(number)
        }
        if let expectedPublished {
            let found = try await published()?.info.version
            guard (found ?? ScheduleVersionInfo.noneExpected) == expectedPublished else {
                throw RepositoryError.publishedVersionChanged(expected: expectedPublished, found: found)
            }
        }
        try apply(followUp)
        schedules[number - 1].info.publishedAt = time
        return schedules[number - 1].info
    }

    public func published() async throws -> ScheduleVersion? {
        schedules.filter { $0.info.publishedAt != nil }
            .max {
                ($0.info.publishedAt ?? .distantPast, $0.info.version) < (
                    $1.info.publishedAt ?? .distantPast, $1.info.version
                )
            }
    }

    public func meetings(of participant: ParticipantID, inVersion number: Int) async throws -> [Meeting] {
        guard schedules.indices.contains(number - 1) else {
            throw RepositoryError.scheduleVersionNotFound(number)
        }
        return schedules[number - 1].meetings.filter { $0.involves(participant) }
    }
}
