/* Follow the processing of an episode's audio without reloading the page,
 * announce each change in the live region, and draw the waveform once ready. */
(function () {
  "use strict";

  var box = document.getElementById("processing");
  document.documentElement.classList.add("js");

  function drawWaveform(canvas) {
    fetch(canvas.dataset.peaksUrl, { credentials: "same-origin" })
      .then(function (resp) { return resp.ok ? resp.json() : []; })
      .then(function (peaks) {
        if (!peaks.length) { return; }
        var ratio = window.devicePixelRatio || 1;
        var width = canvas.clientWidth || canvas.width;
        var height = canvas.clientHeight || canvas.height;
        canvas.width = width * ratio;
        canvas.height = height * ratio;
        var ctx = canvas.getContext("2d");
        ctx.scale(ratio, ratio);
        ctx.fillStyle = getComputedStyle(canvas).color;
        var bars = Math.min(peaks.length, Math.floor(width / 2));
        var step = peaks.length / bars;
        for (var i = 0; i < bars; i++) {
          var peak = 0;
          for (var j = Math.floor(i * step); j < Math.floor((i + 1) * step); j++) { peak = Math.max(peak, peaks[j]); }
          var h = Math.max(1, peak * height);
          ctx.fillRect(i * width / bars, (height - h) / 2, Math.max(1, width / bars - 1), h);
        }
      })
      .catch(function () { /* the player works without the picture */ });
  }

  var canvas = document.getElementById("waveform");
  if (canvas) { drawWaveform(canvas); }
  if (!box || !window.fetch) { return; }
  var state = box.dataset.state;
  if (state === "ready" || state === "failed") { return; }

  var status = document.getElementById("processing-status");
  var badge = document.getElementById("processing-badge");
  var progressLine = document.getElementById("processing-progress-line");
  var delay = 3000;
  var percent = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "percent" });

  // How far the encode is: shown while processing, without announcing each step.
  function showProgress(data) {
    if (!progressLine) { return; }
    var shown = state === "processing" && typeof data.progress === "number";
    progressLine.hidden = !shown;
    if (shown) {
      document.getElementById("processing-progress").value = data.progress;
      document.getElementById("processing-percent").textContent = percent.format(data.progress);
    }
  }

  function showReady(data) {
    var player = document.getElementById("audio-player");
    var audio = player.querySelector("audio");
    if (!audio) {
      audio = document.createElement("audio");
      audio.controls = true;
      audio.preload = "none";
      audio.setAttribute("aria-label", box.dataset.msgPlay);
      player.appendChild(audio);
    }
    audio.src = data.audio_url;
    if (data.peaks_url && !document.getElementById("waveform")) {
      var c = document.createElement("canvas");
      c.id = "waveform";
      c.className = "waveform";
      c.width = 800;
      c.height = 80;
      c.setAttribute("role", "img");
      c.setAttribute("aria-label", box.dataset.msgWaveform);
      c.dataset.peaksUrl = data.peaks_url;
      player.insertBefore(c, audio);
      drawWaveform(c);
    }
    player.hidden = false;
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (resp) { if (!resp.ok) { throw new Error(String(resp.status)); } return resp.json(); })
      .then(function (data) {
        if (data.status !== state) {
          state = data.status;
          box.dataset.state = state;
          badge.textContent = data.label;
          badge.className = "badge badge-" + state;
          status.textContent = data.message;
          status.classList.toggle("error", state === "failed");
        }
        showProgress(data);
        if (state === "ready") { showReady(data); }
        if (!data.is_final) { window.setTimeout(poll, delay); }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 60000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
}());
