/* Shows a background export's progress: polls its status every 2 seconds and reloads the page
   (which then offers the download, or says why the file was not made) once it has finished. */
(function () {
  "use strict";
  var box = document.querySelector("[data-export-status-url]");
  if (!box) return;
  var url = box.getAttribute("data-export-status-url");
  var bar = document.getElementById("export-progress");
  var meter = bar.parentNode;
  var percent = document.getElementById("export-percent");
  var label = document.getElementById("export-status");

  function show(data) {
    bar.style.width = data.progress + "%";
    meter.setAttribute("aria-valuenow", data.progress);
    percent.textContent = data.progress;
    if (label.textContent !== data.label) label.textContent = data.label;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.status === "done" || data.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
