(function () {
  var board = document.getElementById("board");
  var form = document.getElementById("adjust");
  if (!board || !form) return;
  function choose(id, value) {
    var field = document.getElementById(id);
    if (field) field.value = value;
  }
  function pick(meeting) {
    choose("action", "move");
    choose("a", meeting.getAttribute("data-a"));
    choose("b", meeting.getAttribute("data-b"));
  }
  board.addEventListener("dragstart", function (event) {
    var meeting = event.target.closest("[data-a]");
    if (!meeting) return;
    event.dataTransfer.setData("text/plain", meeting.textContent);
    event.dataTransfer.effectAllowed = "move";
    pick(meeting);
  });
  board.addEventListener("dragover", function (event) {
    var cell = event.target.closest("td[data-slot]");
    if (!cell) return;
    event.preventDefault();
    cell.classList.add("drop-target");
  });
  board.addEventListener("dragleave", function (event) {
    var cell = event.target.closest("td[data-slot]");
    if (cell) cell.classList.remove("drop-target");
  });
  board.addEventListener("drop", function (event) {
    var cell = event.target.closest("td[data-slot]");
    if (!cell) return;
    event.preventDefault();
    choose("slot", cell.getAttribute("data-slot"));
    choose("table", cell.getAttribute("data-table"));
    form.submit();
  });
  // The keyboard way: Enter or Space on a meeting picks it in the form, whose time and
  // table lists come next.
  board.addEventListener("keydown", function (event) {
    var meeting = event.target.closest("[data-a]");
    if (!meeting || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    pick(meeting);
    document.getElementById("slot").focus();
  });
})();
