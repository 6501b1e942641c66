(function () {
  var line = document.getElementById("progress");
  if (!line || !window.fetch) return;
  function poll() {
    fetch(line.getAttribute("data-source"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.state === "running" || state.state === "queued") {
          if (state.text) line.textContent = state.text;
          setTimeout(poll, 1500);
        } else {
          setTimeout(function () { window.location.reload(); }, 700);
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1500);
})();
