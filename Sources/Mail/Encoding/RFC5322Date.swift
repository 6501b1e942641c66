import Foundation
import PartneringCore

/// Dates as RFC 5322 section 3.3 writes them: `Thu, 15 Oct 2026 09:00:00 +0200`.
enum RFC5322Date {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ date: Date, in timeZone: TimeZone) -> String {
        let calendar = Calendar.gregorian(in: timeZone)
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let offset = timeZone.secondsFromGMT(for: date) / 60
        let sign = offset < 0 ? "-" : "+"
        let day = days[(parts.weekday ?? 1) - 1]
        let month = months[(parts.month ?? 1) - 1]
        let time = String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        let zone = String(format: "%02d%02d", abs(offset) / 60, abs(offset) % 60)
        return "\(day), \(String(format: "%02d", parts.day ?? 1)) \(month) \(parts.year ?? 1970) \(time) \(sign)\(zone)"
    }
}
