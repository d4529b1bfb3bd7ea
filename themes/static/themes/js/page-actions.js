/* Small page behaviours declared in the markup, so that no template needs an inline handler
   (the Content-Security-Policy allows no inline script: lms/security_headers.py):
   - <button data-page-action="print">: prints the page;
   - <input data-select-on-click>: selects its whole value when clicked (links to copy). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var print = target.closest("[data-page-action='print']");
    if (print) {
      window.print();
      return;
    }
    if (target.matches("input[data-select-on-click]")) {
      target.select();
    }
  });
})();
