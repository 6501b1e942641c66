/// Draws the views of a model in a format: the files to write, with paths relative to the
/// output folder. Pure: no I/O.
public struct GridRenderer: Sendable {
    public let model: GridModel
    public let options: GridOptions

    public init(model: GridModel, options: GridOptions) {
        self.model = model
        self.options = options
    }

    /// The formats a view has: every view as HTML and CSV; calendars only per participant.
    public static func supports(_ view: GridView, as format: GridFormat) -> Bool {
        format != .ics || view == .agendas
    }

    /// The files of `view` in `format`; empty when the view has no such format.
    public func render(_ view: GridView, as format: GridFormat) -> [RenderedFile] {
        switch (format, view) {
        case (.html, .grid): [GridPage(model: model, options: options).render()]
        case (.html, .tables): [TableSheetPages(model: model, options: options).render()]
        case (.html, .agendas): AgendaPages(model: model, options: options).render()
        case (.html, .noMeetings): [NoMeetingPage(model: model, options: options).render()]
        case (.csv, _): [GridCSV(model: model, options: options).render(view)]
        case (.ics, .agendas): AgendaCalendars(model: model, options: options).render()
        case (.ics, _): []
        }
    }
}
