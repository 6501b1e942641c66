// Fetches the board again every few seconds and swaps its content in place (no reload,
// no flicker); a revoked board (404) reloads, so the screen shows that it is gone.
(function () {
  "use strict";
  const board = document.getElementById("board");
  const seconds = Math.max(5, Number(board.dataset.refresh) || 20);
  async function refresh() {
    try {
      const response = await fetch(window.location.href, { cache: "no-store", credentials: "same-origin" });
      if (response.status === 404) { window.location.reload(); return; }
      if (!response.ok) throw new Error("HTTP " + response.status);
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      const content = fresh.getElementById("board");
      const clock = fresh.getElementById("board-clock");
      if (!content || !clock) throw new Error("not a board");
      board.replaceChildren(...Array.from(content.childNodes).map((node) => document.importNode(node, true)));
      document.getElementById("board-clock").textContent = clock.textContent;
      board.dataset.refreshedAt = String(Date.now());
    } catch (error) {
      const stale = document.getElementById("stale");
      if (stale) stale.hidden = false;
    } finally {
      window.setTimeout(refresh, seconds * 1000);
    }
  }
  window.setTimeout(refresh, seconds * 1000);
})();
