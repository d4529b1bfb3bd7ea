// Reports a learner's progress in a lesson: the visit (the first report, as the page opens:
// reading a page changes nothing on the server, this POST does), time spent while the page is
// visible, reaching the end of the lesson, and how much of each uploaded video was played. The server caps
// every report by the time that really passed, so this script only has to be honest, not
// trusted. Without JavaScript the "I have finished this lesson" form does the same job.
(function () {
  "use strict";
  const lesson = document.querySelector("article.lesson[data-progress-url]");
  if (!lesson) return;
  const url = lesson.dataset.progressUrl;
  const csrf = lesson.dataset.csrf;
  const status = document.getElementById("lesson-status");
  const REPORT_EVERY_MS = 15000;

  let visibleSince = document.visibilityState === "visible" ? performance.now() : null;
  let unreportedSeconds = 0;
  let reachedEnd = false;
  let complete = lesson.dataset.complete === "1";
  let secondsSpent = Number(lesson.dataset.secondsSpent || 0);
  const secondsRequired = Number(lesson.dataset.secondsRequired || 0);
  const videos = {};
  let finishTimer = null;
  let visited = false;

  function countVisibleTime() {
    if (visibleSince !== null) {
      const now = performance.now();
      unreportedSeconds += (now - visibleSince) / 1000;
      visibleSince = now;
    }
  }

  function report() {
    countVisibleTime();
    const seconds = Math.floor(unreportedSeconds);
    unreportedSeconds -= seconds;
    const dirty = {};
    for (const [id, state] of Object.entries(videos)) {
      if (state.dirty) {
        dirty[id] = { watched_percent: state.percent, played: state.played };
        state.dirty = false;
      }
    }
    if (visited && !seconds && !Object.keys(dirty).length && !(reachedEnd && !complete)) return;
    const visit = !visited;
    visited = true;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ visit: visit, seconds: seconds, reached_end: reachedEnd, videos: dirty }),
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) show(data); })
      .catch(function () {  // offline: try again next time
        unreportedSeconds += seconds;
        if (visit) visited = false;
      });
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function show(data) {
    secondsSpent = data.seconds_spent;
    for (const bar of document.querySelectorAll(".progress")) {
      bar.setAttribute("aria-valuenow", data.course_progress_percent);
      bar.querySelector(".progress__bar").style.width = data.course_progress_percent + "%";
      const label = bar.nextElementSibling;
      if (label && label.classList.contains("status")) {
        label.textContent = format(status.dataset.textPercent, { percent: data.course_progress_percent });
      }
    }
    if (data.lesson_complete && !complete) {
      complete = true;
      const current = document.querySelector(".outline a[aria-current='page']");
      if (current) {
        const item = current.closest(".outline__lesson");
        item.className = "outline__lesson outline__lesson--completed";
        const label = item.querySelector(".outline__label");
        if (label) label.textContent = item.dataset.completedLabel || label.textContent;
      }
      const finish = document.querySelector(".lesson__finish");
      if (finish) finish.hidden = true;
    }
    if (data.course_complete) {
      status.textContent = status.dataset.textCourseComplete;
    } else if (complete) {
      status.textContent = status.dataset.textComplete;
    } else if (!data.reached_end) {
      status.textContent = status.dataset.textReachEnd;
    } else if (secondsSpent < secondsRequired) {
      const minutes = Math.ceil((secondsRequired - secondsSpent) / 60);
      status.textContent = format(status.dataset.textKeepReading, { minutes: minutes });
      clearTimeout(finishTimer);
      finishTimer = setTimeout(report, (secondsRequired - secondsSpent + 1) * 1000);
    } else {
      status.textContent = status.dataset.textActivities;
    }
  }

  const end = document.getElementById("lesson-end");
  if (end && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries, observer) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        reachedEnd = true;
        observer.disconnect();
        report();
      }
    }).observe(end);
  }

  for (const figure of document.querySelectorAll("figure[data-video]")) {
    const id = figure.dataset.video;
    const state = (videos[id] = { percent: 0, played: false, dirty: false });
    const video = figure.querySelector("video");
    if (video) {
      const measure = function () {
        if (!video.duration) return;
        let played = 0;
        for (let i = 0; i < video.played.length; i++) played += video.played.end(i) - video.played.start(i);
        const percent = Math.min(100, Math.floor((100 * played) / video.duration));
        if (percent > state.percent) { state.percent = percent; state.dirty = true; }
        state.played = true;
      };
      video.addEventListener("timeupdate", measure);
      video.addEventListener("ended", function () { measure(); report(); });
      video.addEventListener("pause", function () { measure(); report(); });
    } else {
      // An embedded player gives us no progress; playing it (focus moving into its frame) counts.
      window.addEventListener("blur", function () {
        if (figure.contains(document.activeElement)) { state.played = true; state.dirty = true; report(); }
      });
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      visibleSince = performance.now();
    } else {
      report();
      visibleSince = null;
    }
  });
  window.addEventListener("pagehide", report);
  report();  // the visit
  setInterval(function () { if (document.visibilityState === "visible") report(); }, REPORT_EVERY_MS);
})();
