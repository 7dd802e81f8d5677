/* Recording in the browser: MediaRecorder, a level meter (Web Audio
 * AnalyserNode) with a text alternative, pause/continue, stop, listen back.
 * window.MediaHubRecorder.init(fieldset, onChange) calls onChange(blob, type)
 * after Stop and onChange(null) when the recording is discarded.
 */
(function () {
  "use strict";

  var TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];

  function pickType() {
    for (var i = 0; i < TYPES.length; i++) {
      if (window.MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(TYPES[i])) { return TYPES[i]; }
    }
    return "";
  }

  function clock(seconds) {
    var s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function init(box, onChange) {
    var $ = function (id) { return document.getElementById(id); };
    var status = $("record-status");
    var buttons = {
      start: $("record-start"), pause: $("record-pause"), resume: $("record-resume"),
      stop: $("record-stop"), discard: $("record-discard")
    };
    var meter = $("record-level");
    var levelText = $("record-level-text");
    var timeText = $("record-time");
    var playback = $("record-playback");
    var data = box.dataset;
    // data-msg-stopped="…" arrives as dataset.msgStopped; data-level-* as levelQuiet etc.
    var msg = {
      recording: data.msgRecording, paused: data.msgPaused, stopped: data.msgStopped,
      discarded: data.msgDiscarded, denied: data.msgDenied, missing: data.msgMissing,
      failed: data.msgFailed, unsupported: data.msgUnsupported,
      levelSilent: data.levelSilent, levelQuiet: data.levelQuiet,
      levelLoud: data.levelLoud, levelGood: data.levelGood
    };
    var recorder = null, stream = null, audioCtx = null, raf = null, chunks = [];
    var elapsed = 0, startedAt = 0, lastLevelText = 0, blobUrl = null;

    if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return;
    }
    box.hidden = false;

    function say(text) { status.textContent = text; }

    function show(state) {
      buttons.start.hidden = state !== "idle" && state !== "done";
      buttons.pause.hidden = state !== "recording";
      buttons.resume.hidden = state !== "paused";
      buttons.stop.hidden = state !== "recording" && state !== "paused";
      buttons.discard.hidden = state !== "done";
      $("record-meter").hidden = state !== "recording" && state !== "paused";
      playback.hidden = state !== "done";
    }

    function seconds() {
      return elapsed + (recorder && recorder.state === "recording" ? (Date.now() - startedAt) / 1000 : 0);
    }

    function describe(level) {
      if (level < 2) { return msg.levelSilent; }
      if (level < 15) { return msg.levelQuiet; }
      if (level > 85) { return msg.levelLoud; }
      return msg.levelGood;
    }

    function watchLevel(analyser) {
      var data = new Uint8Array(analyser.fftSize);
      function tick() {
        analyser.getByteTimeDomainData(data);
        var peak = 0;
        for (var i = 0; i < data.length; i++) { peak = Math.max(peak, Math.abs(data[i] - 128)); }
        var level = Math.round(peak / 128 * 100);
        meter.value = level;
        timeText.textContent = clock(seconds());
        // The words change at most once a second: calm for screen readers too.
        if (Date.now() - lastLevelText > 1000) {
          levelText.textContent = describe(level);
          meter.setAttribute("aria-valuetext", describe(level));
          lastLevelText = Date.now();
        }
        raf = window.requestAnimationFrame(tick);
      }
      tick();
    }

    function release() {
      if (raf) { window.cancelAnimationFrame(raf); raf = null; }
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
      if (audioCtx) { audioCtx.close(); audioCtx = null; }
    }

    buttons.start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } })
        .then(function (s) {
          stream = s;
          var type = pickType();
          recorder = type ? new MediaRecorder(s, { mimeType: type }) : new MediaRecorder(s);
          chunks = [];
          elapsed = 0;
          recorder.ondataavailable = function (e) { if (e.data && e.data.size) { chunks.push(e.data); } };
          recorder.onstop = function () {
            release();
            var blob = new Blob(chunks, { type: recorder.mimeType || type || "audio/webm" });
            if (blobUrl) { URL.revokeObjectURL(blobUrl); }
            blobUrl = URL.createObjectURL(blob);
            playback.src = blobUrl;
            show("done");
            say(msg.stopped.replace("%(time)s", clock(elapsed)));
            onChange(blob, blob.type);
          };
          var Ctx = window.AudioContext || window.webkitAudioContext;
          if (Ctx) {
            audioCtx = new Ctx();
            var analyser = audioCtx.createAnalyser();
            analyser.fftSize = 1024;
            audioCtx.createMediaStreamSource(s).connect(analyser);
            watchLevel(analyser);
          }
          recorder.start(1000);
          startedAt = Date.now();
          show("recording");
          say(msg.recording);
          buttons.stop.focus();
        })
        .catch(function (err) {
          release();
          var name = err && err.name;
          if (name === "NotAllowedError" || name === "SecurityError") { say(msg.denied); }
          else if (name === "NotFoundError" || name === "OverconstrainedError") { say(msg.missing); }
          else { say(msg.failed); }
        });
    });

    buttons.pause.addEventListener("click", function () {
      if (!recorder || recorder.state === "inactive") { return; } // nothing is being recorded
      elapsed = seconds();
      recorder.pause();
      show("paused");
      say(msg.paused);
      buttons.resume.focus();
    });

    buttons.resume.addEventListener("click", function () {
      if (!recorder || recorder.state === "inactive") { return; } // nothing is being recorded
      startedAt = Date.now();
      recorder.resume();
      show("recording");
      say(msg.recording);
      buttons.pause.focus();
    });

    buttons.stop.addEventListener("click", function () {
      if (!recorder || recorder.state === "inactive") { return; } // nothing is being recorded
      elapsed = seconds();
      recorder.stop();
    });

    buttons.discard.addEventListener("click", function () {
      if (blobUrl) { URL.revokeObjectURL(blobUrl); blobUrl = null; }
      playback.removeAttribute("src");
      show("idle");
      say(msg.discarded);
      onChange(null);
      buttons.start.focus();
    });

    show("idle");
  }

  window.MediaHubRecorder = { init: init };
}());
