import Foundation
import PartneringCore
import Scheduling

/// One stored schedule version in the organiser's list of runs.
public struct RunListEntry: Sendable {
    public var version: Int
    public var created: String
    public var record: RunRecord?
    public var label: String?
    public var meetings: Int
    public var objective: Int
    public var upperBound: Int?
    public var published: Bool

    public init(
        version: Int, created: String, record: RunRecord?, label: String?, meetings: Int, objective: Int,
        upperBound: Int?, published: Bool
    ) {
        self.version = version
        self.created = created
        self.record = record
        self.label = label
        self.meetings = meetings
        self.objective = objective
        self.upperBound = upperBound
        self.published = published
    }
}

/// The pages of the organiser's scheduling workflow (`/organiser/schedule`): runs and the
/// live progress of the current one, the review of a version, the comparison of two.
/// Forms post to the paths given, with the anti-forgery token.
public struct SchedulingPages: Sendable {
    public let language: Language
    public let eventName: String
    public let csrfToken: String
    private var labels: GridLabels { GridLabels(language) }

    public init(language: Language, eventName: String, csrfToken: String) {
        self.language = language
        self.eventName = eventName
        self.csrfToken = csrfToken
    }

    /// The list of runs, the form that starts one, and the progress of the running one
    /// (the page reloads itself every two seconds while it runs).
    public func runs(_ entries: [RunListEntry], job: SchedulingJob?, message: String?) -> String {
        var html = MarkupBuffer()
        let running = job?.isRunning ?? false
        begin(&html, title: labels.pick("Planification", "Scheduling"), refresh: running)
        notice(&html, message)
        html.raw("<section><h2>")
        html.text(labels.pick("Lancer le planificateur", "Run the scheduler"))
        html.raw("</h2>\n")
        if let job, case .running(let progress) = job.current {
            html.raw("<p class=\"progress\">")
            html.text(labels.pick("En cours", "Running"))
            if let progress {
                let bound = progress.upperBound == Int.max ? "…" : String(progress.upperBound)
                html.text(
                    " — \(progress.phase): \(labels.objective.lowercased()) \(progress.objective), "
                        + "\(labels.bound.lowercased()) \(bound), \(String(format: "%.1f", progress.elapsed)) s")
            }
            html.raw("</p>\n")
            form(&html, action: "/organiser/schedule/cancel", button: labels.pick("Arrêter", "Stop"))
        } else {
            html.raw("<form method=\"post\" action=\"/organiser/schedule/run\">")
            hidden(&html)
            html.raw("<label>")
            html.text(labels.pick("Limite de temps (s)", "Time limit (s)"))
            html.raw(" <input name=\"timeLimit\" type=\"number\" min=\"1\" max=\"600\" value=\"10\"></label> ")
            html.raw("<label><input type=\"checkbox\" name=\"keep\" value=\"1\"> ")
            html.text(
                labels.pick(
                    "repartir de la version publiée (garder ce qui reste valide)",
                    "re-plan from the published version (keep what is still valid)"))
            html.raw("</label> <button>")
            html.text(labels.pick("Lancer", "Run"))
            html.raw("</button></form>\n")
        }
        html.raw("</section>\n<section><h2>")
        html.text(labels.pick("Versions", "Versions"))
        html.raw("</h2>\n")
        if entries.isEmpty {
            html.element("p", class: "none", labels.pick("Aucune version pour l’instant.", "No version yet."))
        } else {
            html.raw("<table class=\"agenda\"><thead><tr>")
            for heading in [
                "#", labels.date, labels.pick("Origine", "Origin"), labels.meetings, labels.objective, labels.bound,
                labels.pick("Publiée", "Published"),
            ] {
                html.element("th", heading)
            }
            html.raw("</tr></thead><tbody>\n")
            for entry in entries.reversed() {
                html.raw(
                    "<tr><td><a href=\"/organiser/schedule/versions/\(entry.version)\">\(entry.version)</a></td><td>")
                html.text(entry.created)
                html.raw("</td><td>")
                var origin = entry.record?.origin.rawValue ?? entry.label ?? "import"
                if let basedOn = entry.record?.basedOn { origin += " ← \(basedOn)" }
                if entry.record?.cancelled == true { origin += " (\(labels.pick("arrêtée", "stopped")))" }
                if let note = entry.record?.note { origin += " — \(note)" }
                html.text(origin)
                html.raw("</td><td>\(entry.meetings)</td><td>\(entry.objective)</td><td>")
                html.text(entry.upperBound.map(String.init) ?? "–")
                html.raw("</td><td>")
                html.text(entry.published ? "✓" : "")
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody></table>\n")
            compareForm(&html, entries)
        }
        html.raw("</section>\n")
        end(&html)
        return String(decoding: html.bytes, as: UTF8.self)
    }

    /// The review of a version: summary, unscheduled requests with the reasons, the views,
    /// and the forms that adjust or publish it.
    public func review(
        version: Int, model: GridModel, record: RunRecord?, explanation: ExplanationDocument, published: Bool,
        message: String?
    ) -> String {
        var html = MarkupBuffer(capacity: 20_000)
        begin(&html, title: "\(labels.pick("Version", "Version")) \(version)", refresh: false)
        notice(&html, message)
        html.raw("<div class=\"summary\">")
        let extra = record?.summary.map { summary in
            [
                (labels.pick("Pauses", "Breaks"), String(summary.breaks)),
                (labels.pick("Équité (minimum)", "Fairness (fewest)"), String(summary.fairness)),
            ]
        }
        OverviewSection(model: model, labels: labels).figures(&html, extra: extra ?? [])
        html.raw("</div>\n<p>")
        let views = [
            ("grid.html", labels.grid), ("agendas.html", labels.agendas), ("tables.html", labels.tableSheets),
            ("no-meetings.html", labels.noMeetings), ("grid.csv", "CSV"), ("agendas.csv", "CSV agendas"),
        ]
        for (index, (file, title)) in views.enumerated() {
            if index > 0 { html.raw(" · ") }
            html.raw("<a href=\"/organiser/schedule/versions/\(version)/\(file)\">")
            html.text(title)
            html.raw("</a>")
        }
        html.raw("</p>\n")
        if published {
            html.element("p", labels.pick("Cette version est publiée.", "This version is published."))
        } else {
            form(
                &html, action: "/organiser/schedule/versions/\(version)/publish",
                button: labels.pick("Publier cette version", "Publish this version"))
        }
        adjustForms(&html, version: version)
        unscheduled(&html, model: model, explanation: explanation)
        html.raw("<h2>")
        html.text(labels.grid)
        html.raw("</h2>\n<iframe class=\"grid-view\" title=\"")
        html.text(labels.grid)
        html.raw("\" src=\"/organiser/schedule/versions/\(version)/grid.html\"></iframe>\n")
        end(&html)
        return String(decoding: html.bytes, as: UTF8.self)
    }

    /// Two versions side by side: kept, moved, dropped and added meetings.
    public func comparison(from: Int, to: Int, _ comparison: ScheduleComparison, names: [String: String]) -> String {
        var html = MarkupBuffer()
        begin(&html, title: "\(labels.pick("Comparaison", "Comparison")) \(from) → \(to)", refresh: false)
        html.raw("<div class=\"summary\">")
        OverviewSection.figure(&html, labels.pick("Gardés", "Kept"), String(comparison.kept.count))
        OverviewSection.figure(&html, labels.pick("Déplacés", "Moved"), String(comparison.moved.count))
        OverviewSection.figure(&html, labels.pick("Supprimés", "Dropped"), String(comparison.dropped.count))
        OverviewSection.figure(&html, labels.pick("Ajoutés", "Added"), String(comparison.added.count))
        OverviewSection.figure(
            &html, labels.pick("Participants touchés", "Participants affected"),
            String(comparison.affectedParticipants.count))
        html.raw("</div>\n<table class=\"agenda\"><thead><tr>")
        for heading in ["", labels.participant, labels.pick("Avant", "Before"), labels.pick("Après", "After")] {
            html.element("th", heading)
        }
        html.raw("</tr></thead><tbody>\n")
        func pair(_ meeting: ScheduleDocument.Meeting) -> String {
            meeting.participants.map { names[$0] ?? $0 }.joined(separator: " – ")
        }
        func place(_ meeting: ScheduleDocument.Meeting?) -> String {
            meeting.map { "\($0.slot) \($0.table)" } ?? "–"
        }
        let rows: [(String, ScheduleDocument.Meeting, ScheduleDocument.Meeting?, ScheduleDocument.Meeting?)] =
            comparison.moved.map { (labels.pick("déplacé", "moved"), $0.after, $0.before, $0.after) }
            + comparison.dropped.map { (labels.pick("supprimé", "dropped"), $0, $0, nil) }
            + comparison.added.map { (labels.pick("ajouté", "added"), $0, nil, $0) }
        for (kind, meeting, before, after) in rows.prefix(2_000) {
            html.raw("<tr><td>")
            html.text(kind)
            html.raw("</td><td>")
            html.text(pair(meeting))
            html.raw("</td><td>")
            html.text(place(before))
            html.raw("</td><td>")
            html.text(place(after))
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody></table>\n")
        end(&html)
        return String(decoding: html.bytes, as: UTF8.self)
    }

    // MARK: Parts

    private func begin(_ html: inout MarkupBuffer, title: String, refresh: Bool) {
        html.raw("<!DOCTYPE html>\n<html lang=\"\(language.rawValue)\">\n<head>\n<meta charset=\"utf-8\">\n")
        if refresh { html.raw("<meta http-equiv=\"refresh\" content=\"2\">\n") }
        html.raw("<title>")
        html.text("\(title) — \(eventName)")
        html.raw("</title>\n<style>\n")
        html.raw(PageStyle.base)
        html.raw(
            "form { margin: 8px 0; } input, select, button { font: inherit; margin: 2px; } .notice { padding: 6px 10px; background: #fef3c7; }\n"
                + "iframe.grid-view { width: 100%; height: 80vh; border: 1px solid #9ca3af; }\n"
        )
        html.raw("</style>\n</head>\n<body>\n<nav><a href=\"/organiser\">")
        html.text(labels.pick("Tableau de bord", "Dashboard"))
        html.raw("</a> · <a href=\"/organiser/schedule\">")
        html.text(labels.pick("Planification", "Scheduling"))
        html.raw("</a></nav>\n<p class=\"event\">")
        html.text(eventName)
        html.raw("</p>\n<h1>")
        html.text(title)
        html.raw("</h1>\n")
    }

    private func end(_ html: inout MarkupBuffer) {
        html.raw("</body>\n</html>\n")
    }

    private func notice(_ html: inout MarkupBuffer, _ message: String?) {
        if let message, !message.isEmpty { html.element("p", class: "notice", message) }
    }

    private func hidden(_ html: inout MarkupBuffer) {
        html.raw("<input type=\"hidden\" name=\"_csrf\" value=\"")
        html.text(csrfToken)
        html.raw("\">")
    }

    private func form(_ html: inout MarkupBuffer, action: String, button: String) {
        html.raw("<form method=\"post\" action=\"\(action)\">")
        hidden(&html)
        html.raw("<button>")
        html.text(button)
        html.raw("</button></form>\n")
    }

    private func compareForm(_ html: inout MarkupBuffer, _ entries: [RunListEntry]) {
        html.raw("<form method=\"get\" action=\"/organiser/schedule/compare\">")
        html.text(labels.pick("Comparer", "Compare"))
        for (name, selected) in [("from", entries.dropLast().last?.version), ("to", entries.last?.version)] {
            html.raw(" <select name=\"\(name)\">")
            for entry in entries {
                html.raw(
                    "<option value=\"\(entry.version)\"\(entry.version == selected ? " selected" : "")>\(entry.version)</option>"
                )
            }
            html.raw("</select>")
        }
        html.raw(" <button>→</button></form>\n")
    }

    private func adjustForms(_ html: inout MarkupBuffer, version: Int) {
        html.raw("<h2>")
        html.text(labels.pick("Ajuster", "Adjust"))
        html.raw("</h2>\n<form method=\"post\" action=\"/organiser/schedule/versions/\(version)/adjust\">")
        hidden(&html)
        html.raw("<label>")
        html.text(labels.pick("Participants (ids)", "Participants (ids)"))
        html.raw(" <input name=\"participants\" placeholder=\"c001,e001\" required></label> <select name=\"action\">")
        for (value, label) in [
            ("move", labels.pick("déplacer", "move")), ("cancel", labels.pick("annuler", "cancel")),
            ("pin", labels.pick("fixer (heure et table)", "pin (time and table)")),
            ("pin-time", labels.pick("fixer (heure)", "pin (time only)")), ("unpin", labels.pick("libérer", "unpin")),
        ] {
            html.raw("<option value=\"\(value)\">")
            html.text(label)
            html.raw("</option>")
        }
        html.raw("</select> <label>")
        html.text(labels.slot)
        html.raw(" <input name=\"slot\" placeholder=\"d1-0930\"></label> <label>")
        html.text(labels.table)
        html.raw(" <input name=\"table\" placeholder=\"T01\"></label> <button>OK</button></form>\n")
    }

    private func unscheduled(_ html: inout MarkupBuffer, model: GridModel, explanation: ExplanationDocument) {
        html.raw("<h2>")
        html.text(
            "\(labels.pick("Demandes non planifiées", "Unscheduled requests")) (\(explanation.unscheduled.count))")
        html.raw("</h2>\n<table class=\"agenda\"><thead><tr>")
        for heading in [labels.participant, labels.priority, labels.why] { html.element("th", heading) }
        html.raw("</tr></thead><tbody>\n")
        for pair in explanation.unscheduled.prefix(1_000) {
            html.raw("<tr><td>")
            html.text(
                pair.participants.map { id in model.participantIndex[id].map { model.participants[$0].name } ?? id }
                    .joined(separator: " – "))
            html.raw("</td><td>")
            html.text(pair.requests.map { "P\($0.priority)" }.joined(separator: ", "))
            html.raw("</td><td><ul class=\"reasons\">")
            for reason in pair.reasons { html.element("li", labels.reason(reason, in: model)) }
            html.raw("</ul></td></tr>\n")
        }
        html.raw("</tbody></table>\n")
    }
}
