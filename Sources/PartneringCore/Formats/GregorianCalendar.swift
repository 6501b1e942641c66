import Foundation

extension Calendar {
    /// The Gregorian calendar in `zone` (the event's, or UTC): every day, slot and time the
    /// product reads or writes is computed through one.
    public static func gregorian(in zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
