// Opens each SCORM activity of a lesson page in its frame: a launch is a POST (it starts or
// resumes the learner's attempt), so the page posts its launch form into the frame once.
// Without JavaScript the learner presses the form's button instead.
(function () {
  "use strict";
  function launchAll() {
    document.querySelectorAll("form[data-scorm-launch]:not([data-launched])").forEach(function (form) {
      form.setAttribute("data-launched", "");
      form.submit();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", launchAll);
  } else {
    launchAll();
  }
})();
