import Foundation

extension Calendar {
    /// The Gregorian calendar in `zone`: every date the mail writes is read through one.
    static func gregorian(in zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
