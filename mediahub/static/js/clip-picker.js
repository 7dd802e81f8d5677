/* Marking a clip's passage: drag on the waveform, or pick transcript lines;
 * both fill in the start and length fields, which work without script too
 * (typing "1:23" and "30"). "Play the passage" plays exactly that part. */
(function () {
  "use strict";

  var form = document.getElementById("clip-form");
  if (!form) { return; }
  var startField = document.getElementById("clip-start");
  var lengthField = document.getElementById("clip-length");
  var canvas = document.getElementById("clip-waveform");
  var audio = document.getElementById("clip-audio");
  var play = document.getElementById("clip-play");
  var live = document.getElementById("clip-live");
  var min = Number(form.dataset.minLength);
  var max = Number(form.dataset.maxLength);
  var total = Number(form.dataset.duration);
  var peaks = [];
  var stopAt = null;

  function parseTime(text) {
    var parts = String(text).trim().split(":");
    var seconds = 0;
    for (var i = 0; i < parts.length; i++) {
      var n = Number(parts[i].replace(",", "."));
      if (!isFinite(n) || n < 0) { return NaN; }
      seconds = seconds * 60 + n;
    }
    return seconds;
  }

  function formatTime(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds - m * 60;
    return m + ":" + (s < 10 ? "0" : "") + s.toFixed(1);
  }

  function current() {
    return { start: parseTime(startField.value), length: Number(lengthField.value.replace(",", ".")) };
  }

  function announce(text) { if (live) { live.textContent = text; } }

  function set(start, length) {
    length = Math.max(min, Math.min(max, length));
    start = Math.max(0, Math.min(start, total - length));
    startField.value = formatTime(start);
    lengthField.value = length.toFixed(1);
    draw();
    announce(form.dataset.msgChosen.replace("%(start)s", formatTime(start)).replace("%(length)s", length.toFixed(1)));
  }

  function draw() {
    if (!canvas || !peaks.length) { return; }
    var ratio = window.devicePixelRatio || 1;
    var width = canvas.clientWidth;
    var height = canvas.clientHeight;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    var ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    var style = getComputedStyle(canvas);
    var pick = current();
    var bars = Math.min(peaks.length, Math.floor(width / 2));
    var step = peaks.length / bars;
    for (var i = 0; i < bars; i++) {
      var peak = 0;
      for (var j = Math.floor(i * step); j < Math.floor((i + 1) * step); j++) { peak = Math.max(peak, peaks[j]); }
      var at = (i / bars) * total;
      var inside = at >= pick.start && at <= pick.start + pick.length;
      ctx.fillStyle = inside ? style.color : style.borderColor;
      var h = Math.max(1, peak * height);
      ctx.fillRect(i * width / bars, (height - h) / 2, Math.max(1, width / bars - 1), h);
    }
  }

  function secondsAt(event) {
    var box = canvas.getBoundingClientRect();
    return Math.max(0, Math.min(1, (event.clientX - box.left) / box.width)) * total;
  }

  if (canvas && window.fetch) {
    fetch(canvas.dataset.peaksUrl, { credentials: "same-origin" })
      .then(function (resp) { return resp.ok ? resp.json() : []; })
      .then(function (data) { peaks = data; draw(); })
      .catch(function () { /* typing the times still works */ });
    var anchor = null;
    canvas.addEventListener("pointerdown", function (event) {
      anchor = secondsAt(event);
      canvas.setPointerCapture(event.pointerId);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (anchor === null) { return; }
      var here = secondsAt(event);
      set(Math.min(anchor, here), Math.abs(here - anchor));
    });
    canvas.addEventListener("pointerup", function (event) {
      if (anchor === null) { return; }
      var here = secondsAt(event);
      var length = Math.abs(here - anchor);
      set(length < 1 ? anchor : Math.min(anchor, here), length < 1 ? current().length || 30 : length);
      anchor = null;
    });
    window.addEventListener("resize", draw);
  }

  startField.addEventListener("change", draw);
  lengthField.addEventListener("change", draw);

  var firstLine = null;
  Array.prototype.forEach.call(document.querySelectorAll("[data-cue-start]"), function (button) {
    button.addEventListener("click", function () {
      var start = Number(button.dataset.cueStart);
      var end = Number(button.dataset.cueEnd);
      if (firstLine === null) {
        firstLine = start;
        set(start, end - start);
      } else {
        var from = Math.min(firstLine, start);
        set(from, Math.max(firstLine, end) - from);
        firstLine = null;
      }
    });
  });

  if (play && audio) {
    play.hidden = false;
    play.addEventListener("click", function () {
      var pick = current();
      if (!isFinite(pick.start) || !isFinite(pick.length)) { return; }
      stopAt = pick.start + pick.length;
      audio.currentTime = pick.start;
      audio.play();
    });
    audio.addEventListener("timeupdate", function () {
      if (stopAt !== null && audio.currentTime >= stopAt) { audio.pause(); stopAt = null; }
    });
  }
}());
