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
 * The server sequences: the player posts every move (the SCO's adl.nav.request when it
 * terminates, or the learner's contents entry, Next or Previous) as `nav=<request>` to the
 * single-use navigation address (a move ends the launch, so it is never a GET).
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
  var pendingRequest = null; // the learner's move in the player (contents, Next, Previous)
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
    payload.navRequest = currentRequest();
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
      if (body.flow && !launch.preview && launch.mode === "normal") {
        flowButtons(body.flow);
      }
      saveStatus.textContent = "";
    } else if (!(body && body.reason === "stale")) {
      saveStatus.textContent = (body && body.error) || launch.messages.saveFailed;
    }
    var code = ok ? 0 : (body && body.errorCode) || 391;
    return { result: ok || (body && body.reason === "stale") ? "true" : "false", errorCode: code };
  }

  // What the SCO reports can open the way on (a passed part unlocks the next): every commit's
  // answer says whether Next and Previous are valid now.
  function flowButtons(flow) {
    ["continue", "previous"].forEach(function (request) {
      var button = document.querySelector('button[data-nav="' + request + '"]');
      if (button && typeof flow[request] === "boolean") button.disabled = !flow[request];
    });
  }

  function requestHandler(commitObject, metadata) {
    var terminating = Boolean(metadata && metadata.isTerminateCommit);
    var payload = stamp(commitObject, terminating);
    if (terminating && document.visibilityState === "visible") {
      // The page stays: store the end of the launch now, synchronously, so that the server
      // has it before the navigation request that follows is sequenced. The beacon that
      // scorm-again then sends carries the same commit and is answered as a repeat.
      if (JSON.stringify(payload).length > BEACON_LIMIT) {
        // Too big for a beacon: store the data first, then end with a small commit.
        var full = JSON.parse(JSON.stringify(payload));
        delete full.terminate;
        post(full);
        var cmi = cmiOf(payload);
        if (cmi) delete cmi.suspend_data;
        sequence += 1;
        payload.commitSequence = sequence;
      }
      post(payload);
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
  // The server sequences (scorm.services.sequencing): scorm-again is the run-time API only,
  // and every move goes to the server as a navigation request.
  var api = is2004 ? new window.Scorm2004API(settings) : new window.Scorm12API(settings);
  api.loadFromJSON(launch.cmi);
  if (is2004) {
    window.API_1484_11 = api;
  } else {
    window.API = api;
  }
  confirmedSuspendData = launch.cmi.suspend_data || "";
  api.on(is2004 ? "Initialize" : "LMSInitialize", function () {
    initializedAt = Date.now();
  });

  // What the SCO asked for, as it set it: scorm-again may reset adl.nav.request on Terminate.
  var contentRequest = "";
  if (is2004) {
    api.on("SetValue.adl.nav.request", function (element, value) {
      contentRequest = String(value || "");
    });
  }

  function currentRequest() {
    if (pendingRequest !== null) return pendingRequest;
    var request = contentRequest || (is2004 && api.adl && api.adl.nav ? String(api.adl.nav.request || "") : "");
    return request === "_none_" ? "" : request;
  }

  // The navigation token works once and needs no cookie (the content origin has none);
  // the server decides what the request leads to.
  function go(request) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = launch.navigateUrl;
    form.hidden = true;
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = "nav";
    field.value = request;
    form.appendChild(field);
    document.body.appendChild(form);
    form.submit();
  }

  function navigate(request) {
    if (navigating) return;
    navigating = true;
    pendingRequest = request;
    if (initializedAt === null || terminated) {
      go(request);
      return;
    }
    // Unloading the SCO lets it finish itself (most content terminates on unload); if it
    // does not, terminate for it so its last data is stored before the request is sequenced.
    frame.src = "about:blank";
    window.setTimeout(function () {
      if (!terminated) {
        if (is2004) api.Terminate("");
        else api.LMSFinish("");
      }
      go(request);
    }, 300);
  }

  function afterTerminate() {
    terminated = true;
    if (navigating) return;
    // The SCO ended itself: its own request (or none, which the server treats as exit).
    navigate(currentRequest());
  }
  api.on(is2004 ? "Terminate" : "LMSFinish", function () {
    window.setTimeout(afterTerminate, 0);
  });

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

  Array.prototype.forEach.call(document.querySelectorAll("[data-nav]"), function (control) {
    control.addEventListener("click", function (event) {
      event.preventDefault();
      navigate(control.getAttribute("data-nav"));
    });
  });

  if (launch.scoUrl) frame.src = launch.scoUrl;
})();
