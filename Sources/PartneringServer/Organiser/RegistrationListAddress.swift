import Foundation
import Hummingbird
import PartneringCore
import Registration

/// The address of the organisers' registration list: its filters, order and page are in the
/// URL, so that paging, sorting and every action come back to the same list; an action's
/// result travels in the address it redirects to (counts and reason), to be told in words
/// in the page's language.
enum RegistrationListAddress {
    static let base = "/organiser/registrations"

    /// The list asked for by the URL's parameters (`q`, `status`, `role`, `category`,
    /// `sort`, `dir`, `page`); unknown values fall back to the defaults.
    static func query(_ request: Request) -> RegistrationQuery {
        let parameters = request.uri.queryParameters
        let page = parameters.get("page").flatMap { Int($0) }.map { min(max(1, $0), 1_000_000) } ?? 1
        return RegistrationQuery(
            text: String((parameters.get("q") ?? "").prefix(200)), status: parameters.get("status") ?? "",
            role: parameters.get("role") ?? "", category: parameters.get("category") ?? "",
            sort: RegistrationSort(rawValue: parameters.get("sort") ?? "") ?? .number,
            descending: parameters.get("dir") == "desc", page: page)
    }

    /// The filters of `query` as a query string (for the CSV export, which has no page).
    static func filterQuery(_ query: RegistrationQuery) -> String {
        encode([("q", query.text), ("status", query.status), ("role", query.role), ("category", query.category)])
    }

    /// The list's address for `query`, with defaults left out.
    static func path(_ query: RegistrationQuery) -> String {
        let items = [
            ("q", query.text), ("status", query.status), ("role", query.role), ("category", query.category),
            ("sort", query.sort == .number ? "" : query.sort.rawValue), ("dir", query.descending ? "desc" : ""),
            ("page", query.page > 1 ? String(query.page) : ""),
        ]
        let encoded = encode(items)
        return encoded.isEmpty ? base : base + "?" + encoded
    }

    private static func encode(_ items: [(String, String)]) -> String {
        var components = URLComponents()
        components.queryItems = items.filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` would read as a space in a query: encode it.
        return (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }

    /// Where an action goes back to: the list or registration page it was sent from
    /// (`returnPath`, when it is one of them), else the list; with the result added.
    static func returning(to returnPath: String, with summary: DecisionSummary) -> String {
        var target = base
        if let path = ReturnPath.validated(returnPath),
            path == base || path.hasPrefix(base + "?")
                || path.hasPrefix(base + "/")
        {
            target = path
        }
        let counts = [
            ("confirmed", summary.confirmed), ("waitlisted", summary.waitlisted), ("rejected", summary.rejected),
            ("cancelled", summary.cancelled), ("skipped", summary.skipped),
        ]
        let items =
            [("done", summary.decision.rawValue)] + counts.filter { $0.1 > 0 }.map { ($0.0, String($0.1)) }
            + [("reason", summary.reason ?? "")]
        return target + (target.contains("?") ? "&" : "?") + encode(items)
    }

    /// The result an action's redirect carries, if any.
    static func summary(_ request: Request) -> DecisionSummary? {
        let parameters = request.uri.queryParameters
        guard let decision = RegistrationDecision(rawValue: parameters.get("done") ?? "") else { return nil }
        func count(_ name: String) -> Int {
            parameters.get(name).flatMap { Int($0) }.map { min(max(0, $0), OrganiserService.largestDecision) } ?? 0
        }
        let reason = parameters.get("reason").map { String($0.prefix(OrganiserService.reasonMaximumLength)) }
        return DecisionSummary(
            decision: decision, confirmed: count("confirmed"), waitlisted: count("waitlisted"),
            rejected: count("rejected"), cancelled: count("cancelled"), skipped: count("skipped"),
            reason: reason?.isEmpty == false ? reason : nil)
    }
}
