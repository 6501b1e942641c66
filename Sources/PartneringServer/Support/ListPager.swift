/// A link of a list's pager.
struct ListPageLink {
    let number: Int
    let href: String
    let isCurrent: Bool
    /// Stands for skipped pages (an ellipsis, not a link).
    let isGap: Bool
}

/// The pager of a paged list (the directory, the registration list): where the list
/// stands, the previous and next pages, and the page links to show. Templates read it in a
/// `{{#pager}}` section.
struct ListPager {
    let page: Int
    let pageCount: Int
    let previousHref: String
    let nextHref: String
    let hasPrevious: Bool
    let hasNext: Bool
    /// The first, the last and the pages around the current one, with gaps between.
    let pages: [ListPageLink]
    /// More than one page: the pager is worth showing.
    let hasPages: Bool

    /// The pager of page `page` of `pageCount`, each page's address given by `href`.
    init(page: Int, pageCount: Int, href: (Int) -> String) {
        let count = max(1, pageCount)
        self.page = page
        self.pageCount = count
        hasPrevious = page > 1
        hasNext = page < count
        previousHref = hasPrevious ? href(page - 1) : ""
        nextHref = hasNext ? href(page + 1) : ""
        hasPages = count > 1
        // The window around the current page, kept inside the list for a page past its end.
        let current = min(max(1, page), count)
        let shown = Set([1, count] + Array((current - 2)...(current + 2))).filter { (1...count).contains($0) }.sorted()
        var pages: [ListPageLink] = []
        for number in shown {
            if let last = pages.last, number > last.number + 1 {
                pages.append(ListPageLink(number: number - 1, href: "", isCurrent: false, isGap: true))
            }
            pages.append(ListPageLink(number: number, href: href(number), isCurrent: number == page, isGap: false))
        }
        self.pages = pages
    }
}
