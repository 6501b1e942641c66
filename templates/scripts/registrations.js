// The registration list: a box in the selection column's header ticks or clears every row of
// the page for a bulk decision. Added by the script, so that without scripts no box is
// shown that would do nothing.
(function () {
  "use strict";
  const table = document.getElementById("registrations");
  const header = table && table.querySelector("thead th");
  if (!header) return;
  const rows = Array.from(table.querySelectorAll("tbody input[type=checkbox][name=id]"));
  const all = document.createElement("input");
  all.type = "checkbox";
  all.id = "select-all";
  all.setAttribute("aria-label", table.dataset.selectAllLabel || "");
  header.appendChild(all);
  all.addEventListener("change", function () {
    rows.forEach(function (row) { row.checked = all.checked; });
  });
  rows.forEach(function (row) {
    row.addEventListener("change", function () {
      all.checked = rows.every(function (box) { return box.checked; });
    });
  });
})();
