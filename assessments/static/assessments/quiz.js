// The quiz page: autosave and the timer. The page is a plain form that works without this
// script ("Save and finish later" and "Submit answers" post it); the script only saves the
// answers as the learner works, so a dropped connection or a closed tab loses nothing, and
// shows the time left. The server keeps the deadline and refuses late answers: the timer
// here is a courtesy, never the rule.
(function () {
  "use strict";
  const form = document.getElementById("quiz-form");
  if (!form) return;
  const saveUrl = form.dataset.saveUrl;
  const status = document.getElementById("quiz-save-status");
  const autosaveMs = Number(form.dataset.autosaveSeconds || 20) * 1000;
  let dirty = false;
  let saving = false;
  let submitting = false;
  let debounce = null;
  let signedOut = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function clock(date) {
    return date.toLocaleTimeString(document.documentElement.lang || "th", { hour: "2-digit", minute: "2-digit" });
  }

  function save(options) {
    if (saving || submitting || signedOut) return Promise.resolve();
    saving = true;
    dirty = false;
    const body = new FormData(form);
    return fetch(saveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      keepalive: Boolean(options && options.keepalive),
    })
      .then(function (response) {
        const type = response.headers.get("Content-Type") || "";
        if (!type.startsWith("application/json")) {
          // A sign-in page or a refusal instead of our answer: the session has ended. Retrying
          // cannot help until the learner signs in again, so say so and stop.
          signedOut = true;
          say(form.dataset.textSignedOut);
          return;
        }
        return response.json().then(function (data) {
          if (response.ok && data.saved) {
            say(form.dataset.textSaved.replace("{time}", clock(new Date(data.saved_at))));
          } else if (data.result_url) {
            // Submitted elsewhere, or the time is up: the server has the last word.
            submitting = true;
            window.location.assign(data.result_url);
          }
        });
      })
      .catch(function () {
        dirty = true;
        say(form.dataset.textOffline);
      })
      .finally(function () {
        saving = false;
      });
  }

  form.addEventListener("change", function () {
    dirty = true;
    clearTimeout(debounce);
    debounce = setTimeout(save, 1500);
  });
  form.addEventListener("input", function () {
    dirty = true;
  });
  setInterval(function () {
    if (dirty) save();
  }, autosaveMs);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty) save({ keepalive: true });
  });

  form.addEventListener("submit", function (event) {
    const submitter = event.submitter;
    const isFinalSubmit = !submitter || !submitter.hasAttribute("formaction");
    if (isFinalSubmit && !form.dataset.timeUp) {
      const unanswered = Array.from(form.querySelectorAll("fieldset.question")).filter(function (fieldset) {
        return !Array.from(fieldset.querySelectorAll("input, select, textarea")).some(function (field) {
          return (field.type === "radio" || field.type === "checkbox") ? field.checked : field.value.trim() !== "";
        });
      });
      if (unanswered.length && !window.confirm(form.dataset.textConfirm)) {
        event.preventDefault();
        unanswered[0].querySelector("input, select, textarea").focus();
        return;
      }
    }
    submitting = true;
  });

  // The timer: visible every second; read aloud only at a few moments so screen reader
  // users hear it without being interrupted all the time.
  const timer = document.getElementById("quiz-timer");
  if (!timer) return;
  const value = document.getElementById("quiz-timer-value");
  const announce = document.getElementById("quiz-timer-announce");
  const offset = new Date(timer.dataset.now).getTime() - Date.now();
  const deadline = new Date(timer.dataset.deadline).getTime();
  const announceAt = [10, 5, 1];
  value.hidden = false;

  function tick() {
    const left = Math.max(0, Math.round((deadline - (Date.now() + offset)) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    value.textContent = timer.dataset.textLeft.replace("{time}", minutes + ":" + seconds);
    const wholeMinutes = Math.ceil(left / 60);
    if (announceAt.length && wholeMinutes <= announceAt[0] && left > 0) {
      while (announceAt.length && wholeMinutes <= announceAt[0]) announceAt.shift();
      announce.textContent = timer.dataset.textWarning.replace("{minutes}", wholeMinutes);
      timer.classList.add("quiz-timer--warning");
    }
    if (left === 0 && !submitting) {
      announce.textContent = timer.dataset.textUp;
      form.dataset.timeUp = "1";
      submitting = true;
      form.submit();
      return;
    }
    setTimeout(tick, 1000);
  }
  tick();
})();
