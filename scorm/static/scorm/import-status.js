/* Polls the import status of a package version and reloads the page when it has finished. */
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status-url]");
  if (!box) return;
  var bar = document.getElementById("import-progress");
  var label = document.getElementById("import-status");
  function poll() {
    fetch(box.getAttribute("data-import-status-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.progress;
        bar.textContent = data.progress + "%";
        label.textContent = data.label;
        if (data.status === "ready" || data.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
