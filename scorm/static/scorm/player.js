/*
 * Thaksa SCORM player: wires scorm-again (window.API for SCORM 1.2, window.API_1484_11 for
 * SCORM 2004) to the commit endpoint and loads the SCO.
 *
 * Never lose a commit:
 *  - autocommit every few seconds after a change (synchronous XHR, as SCORM expects);
 *  - when the page is hidden or left (visibilitychange / pagehide), a keepalive fetch with
 *    the current data, because browsers forbid synchronous requests while a page unloads;
 *  - the terminate commit goes by sendBeacon (scorm-again does this), with the unchanged
 *    suspend_data left out so it stays under the ~64 KiB unload limit; a terminate commit
 *    that is still too large is sent synchronously first while the page is alive.
 * Every commit carries a sequence number (per launch) so the server can drop duplicates and
 * stale commits, and the session time the player measured, for content that reports none.
 */
(function () {
  "use strict";
  var launch = JSON.parse(document.getElementById("scorm-launch").textContent);
  var is2004 = launch.version === "2004";
  var BEACON_LIMIT = 60000;
  var sequence = 0;
  var confirmedSuspendData = null; // what the server has stored, as far as this page knows
  var pendingSuspendData = null;
  var initializedAt = null;
  var terminated = false;
  var navigating = false;
  var frame = document.getElementById("scorm-content");
  var saveStatus = document.getElementById("scorm-save-status");

  function cmiOf(payload) {
    var data = payload.runtimeData || payload;
    return data && data.cmi;
  }

  function sessionSeconds() {
    return initializedAt === null ? 0 : Math.round((Date.now() - initializedAt) / 10) / 100;
  }

  function stamp(payload, terminating) {
    sequence += 1;
    payload.commitSequence = sequence;
    payload.sessionSeconds = sessionSeconds();
    if (is2004 && api.adl && api.adl.nav) {
      payload.navRequest = String(api.adl.nav.request || "");
    }
    var cmi = cmiOf(payload);
    if (cmi) {
      pendingSuspendData = cmi.suspend_data;
      if (terminating && cmi.suspend_data === confirmedSuspendData) {
        delete cmi.suspend_data; // the server keeps what it has
      }
    }
    return payload;
  }

  function post(payload) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", api.settings.lmsCommitUrl, false);
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.send(JSON.stringify(payload));
    return handleResponse(xhr);
  }

  function handleResponse(xhr) {
    var body = null;
    try {
      body = JSON.parse(xhr.responseText);
    } catch (error) {
      body = null;
    }
    var ok = xhr.status >= 200 && xhr.status < 300 && body && body.result === true;
    if (ok) {
      confirmedSuspendData = pendingSuspendData;
      if (body.commitUrl) {
        api.settings.lmsCommitUrl = body.commitUrl;
      }
      saveStatus.textContent = "";
    } else if (!(body && body.reason === "stale")) {
      saveStatus.textContent = (body && body.error) || launch.messages.saveFailed;
    }
    return { result: ok || (body && body.reason === "stale") ? "true" : "false", errorCode: ok ? 0 : 391 };
  }

  function requestHandler(commitObject, metadata) {
    var terminating = Boolean(metadata && metadata.isTerminateCommit);
    var payload = stamp(commitObject, terminating);
    if (terminating && JSON.stringify(payload).length > BEACON_LIMIT && document.visibilityState === "visible") {
      // Too big for a beacon: store it now, synchronously, then let the beacon carry the end.
      var full = JSON.parse(JSON.stringify(payload));
      delete full.terminate;
      post(full);
      var cmi = cmiOf(payload);
      if (cmi) delete cmi.suspend_data;
      sequence += 1;
      payload.commitSequence = sequence;
    }
    return payload;
  }

  var settings = {
    lmsCommitUrl: launch.commitUrl,
    autocommit: true,
    autocommitSeconds: launch.autocommitSeconds,
    dataCommitFormat: "json",
    renderCommonCommitFields: true,
    terminateCommitPayloadField: "terminate",
    requestHandler: requestHandler,
    xhrResponseHandler: handleResponse,
    logLevel: 4,
  };
  var navigationRequested = false; // the SCO asked to move on (adl.nav.request)
  if (is2004 && launch.sequencing && launch.sequencing.activityTree) {
    settings.sequencing = Object.assign({}, launch.sequencing, {
      eventListeners: {
        // The sequencer decided which activity comes next; deliver it. Deliveries it makes
        // at start-up are ignored: the learner chose this SCO.
        onActivityDelivery: function (activity) {
          var target = activity && scoIdFor(activity.id);
          if (navigationRequested && target && activity.id !== launch.scoIdentifier) {
            terminated = true;
            goTo(target);
          }
        },
      },
    });
  }

  var api = is2004 ? new window.Scorm2004API(settings) : new window.Scorm12API(settings);
  api.loadFromJSON(launch.cmi);
  if (is2004) {
    window.API_1484_11 = api;
  } else {
    window.API = api;
  }
  confirmedSuspendData = launch.cmi.suspend_data || "";
  if (is2004) {
    api.on("SetValue.adl.nav.request", function () {
      navigationRequested = true;
    });
  }
  api.on(is2004 ? "Initialize" : "LMSInitialize", function () {
    initializedAt = Date.now();
  });

  function goTo(scoId) {
    if (navigating || !scoId) return;
    navigating = true;
    // The navigation token works once and needs no cookie (the content origin has none).
    var target = launch.navigateUrl + "?sco=" + encodeURIComponent(scoId);
    // Unloading the SCO lets it finish itself (most content terminates on unload); if it
    // does not, terminate for it so its last data goes out before the next part starts.
    frame.src = "about:blank";
    window.setTimeout(function () {
      if (initializedAt !== null && !terminated) {
        if (is2004) api.Terminate("");
        else api.LMSFinish("");
      }
      window.location.assign(target);
    }, 300);
  }

  function finished(message) {
    var note = document.getElementById("scorm-finished");
    frame.hidden = true;
    note.textContent = message || launch.messages.finished;
    note.hidden = false;
  }

  function afterTerminate() {
    terminated = true;
    if (navigating) return;
    var request = is2004 && api.adl && api.adl.nav ? String(api.adl.nav.request || "") : "";
    var choice = /^\{target=([^}]+)\}(choice|jump)$/.exec(request);
    var next = null;
    if (request === "continue") next = launch.next;
    else if (request === "previous") next = launch.previous;
    else if (choice) next = scoIdFor(choice[1]);
    if (next) {
      goTo(next);
    } else {
      finished();
    }
  }
  api.on(is2004 ? "Terminate" : "LMSFinish", function () {
    window.setTimeout(afterTerminate, 0);
  });
  // With sequencing, scorm-again processes the navigation request itself and tells us.
  function scoIdFor(identifier) {
    var found = null;
    launch.toc.forEach(function (item) {
      if (item.identifier === identifier) found = item.id;
    });
    return found;
  }
  api.on("SequenceNext", function () { terminated = true; goTo(launch.next); });
  api.on("SequencePrevious", function () { terminated = true; goTo(launch.previous); });
  api.on("SequenceChoice", function (target) { terminated = true; goTo(scoIdFor(target)); });

  function flush() {
    if (initializedAt === null || terminated || launch.preview) return;
    var payload = stamp(api.renderCommitObject(false), true);
    try {
      fetch(api.settings.lmsCommitUrl, {
        method: "POST",
        body: JSON.stringify(payload),
        headers: { "Content-Type": "text/plain;charset=UTF-8" },
        keepalive: true,
        credentials: "omit",
      });
    } catch (error) {
      /* the page is going away; the autocommits already stored almost everything */
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);

  ["scorm-previous", "scorm-next"].forEach(function (id) {
    var button = document.getElementById(id);
    if (button) {
      button.addEventListener("click", function () {
        goTo(id === "scorm-next" ? launch.next : launch.previous);
      });
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-sco]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      goTo(link.getAttribute("data-sco"));
    });
  });

  frame.src = launch.scoUrl;
})();
