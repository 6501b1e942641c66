// Asks the server every few seconds whether the day moved (a small JSON stamp: arrivals,
// absences, published version); when it did, fetches the page and swaps the live part in
// place, without a reload. Without JavaScript the page is the same, only not live.
(function () {
  "use strict";
  const live = document.getElementById("live");
  if (!live) return;
  const seconds = Math.max(1, Number(live.dataset.refresh) || 3);
  async function refresh() {
    try {
      const response = await fetch("/organiser/live/status.json", { cache: "no-store", credentials: "same-origin" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const status = await response.json();
      if (status.stamp !== live.dataset.stamp) {
        const page = await fetch(window.location.pathname + window.location.search, { cache: "no-store", credentials: "same-origin" });
        if (!page.ok) throw new Error("HTTP " + page.status);
        const fresh = new DOMParser().parseFromString(await page.text(), "text/html").getElementById("live");
        if (!fresh) throw new Error("not the live page");
        live.replaceChildren(...Array.from(fresh.childNodes).map((node) => document.importNode(node, true)));
        live.dataset.stamp = fresh.dataset.stamp;
      }
      live.dataset.refreshedAt = String(Date.now());
    } catch (error) {
      live.dataset.failedAt = String(Date.now());
    } finally {
      window.setTimeout(refresh, seconds * 1000);
    }
  }
  window.setTimeout(refresh, seconds * 1000);
})();
