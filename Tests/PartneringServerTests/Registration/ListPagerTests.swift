import Testing

@testable import PartneringServer

/// The one pager of the paged lists (the directory, the registration list).
@Suite("List pager")
struct ListPagerTests {
    @Test("the first, the last and two pages either side of the current one, gaps between, links to each")
    func window() {
        let pager = ListPager(page: 5, pageCount: 10) { "/list?page=\($0)" }
        #expect(
            pager.pages.map { $0.isGap ? "…" : String($0.number) } == ["1", "…", "3", "4", "5", "6", "7", "…", "10"])
        #expect(pager.pages.filter(\.isCurrent).map(\.number) == [5])
        #expect(pager.previousHref == "/list?page=4" && pager.nextHref == "/list?page=6")
        #expect(pager.hasPrevious && pager.hasNext && pager.hasPages)
    }

    @Test("one page (or none found): no pager links, no previous, no next")
    func single() {
        for count in [0, 1] {
            let pager = ListPager(page: 1, pageCount: count) { "/list?page=\($0)" }
            #expect(!pager.hasPages && !pager.hasPrevious && !pager.hasNext, "\(count)")
            #expect(pager.pageCount == 1 && pager.pages.map(\.number) == [1] && pager.nextHref.isEmpty)
        }
    }

    @Test("a page past the end keeps its number and links back, its window inside the list")
    func pastTheEnd() {
        let pager = ListPager(page: 7, pageCount: 3) { "/list?page=\($0)" }
        #expect(pager.page == 7 && pager.hasPrevious && !pager.hasNext)
        #expect(pager.previousHref == "/list?page=6")
        #expect(pager.pages.map(\.number) == [1, 2, 3] && !pager.pages.contains(where: \.isCurrent))
    }
}
