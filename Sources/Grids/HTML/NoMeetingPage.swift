/// `no-meetings.html`: who sent or received a request and got no meeting, each request with
/// the scheduler's reasons (from `--explain`).
struct NoMeetingPage {
    let document: HTMLDocument

    init(model: GridModel, options: GridOptions) {
        document = HTMLDocument(model: model, options: options, view: .noMeetings)
    }

    func render() -> RenderedFile {
        let model = document.model
        let labels = document.labels
        var html = MarkupBuffer(capacity: 4_000 + model.withoutMeeting.count * 800)
        document.begin(&html, title: labels.noMeetings)
        document.navigation(&html)
        html.raw("<section class=\"page\">\n<p class=\"event\">")
        html.text(model.eventName)
        html.raw("</p>\n<h1>")
        html.text("\(labels.noMeetings) (\(model.withoutMeeting.count))")
        html.raw("</h1>\n")
        if !model.hasExplanation {
            html.element("p", class: "muted", labels.noExplanation)
        }
        if model.withoutMeeting.isEmpty {
            html.element("p", class: "none", labels.everyoneMet)
        }
        for entry in model.withoutMeeting {
            let person = model.participants[entry.participant]
            html.raw("<h2 id=\"p-")
            html.text(person.id)
            html.raw("\">")
            html.text(person.name)
            html.raw("</h2>\n<p>")
            html.text(
                [person.organisation, document.options.roleName(person.role)].filter { !$0.isEmpty }.joined(
                    separator: " · "))
            html.raw("</p>\n<table class=\"agenda\"><thead><tr>")
            for heading in [labels.requests, labels.counterpart, labels.organisation, labels.priority, labels.why] {
                html.element("th", heading)
            }
            html.raw("</tr></thead><tbody>\n")
            for request in entry.requests {
                let other = model.participants[request.counterpart]
                html.raw("<tr><td>")
                html.text(request.sent ? labels.sent : labels.received)
                html.raw("</td><td>")
                html.text(other.name)
                html.raw("</td><td>")
                html.text(other.organisation)
                html.raw("</td><td>")
                html.text(labels.priorityName(request.priority))
                html.raw("</td><td>")
                if request.reasons.isEmpty {
                    if model.hasExplanation { html.text(labels.noReasonKnown) }
                } else {
                    html.raw("<ul class=\"reasons\">")
                    for reason in request.reasons { html.element("li", labels.reason(reason, in: model)) }
                    html.raw("</ul>")
                }
                html.raw("</td></tr>\n")
            }
            html.raw("</tbody></table>\n")
        }
        html.raw("</section>\n")
        document.end(&html)
        return RenderedFile(path: "no-meetings.html", data: html.data)
    }
}
