/* The transcript editor on an episode's page: play from a cue, follow the
 * playback, split a cue where the cursor is, and follow a transcript that is
 * still being made. Everything works without this script too: the time links
 * open the audio at that second, "Split" splits at "||" or in the middle. */
(function () {
  "use strict";

  var editor = document.getElementById("transcript-editor");
  var status = document.getElementById("transcript-status");

  function player() {
    return document.querySelector("#audio-player audio, audio.episode-audio, audio");
  }

  function follow(box) {
    if (!box || !window.fetch || box.dataset.final === "true") { return; }
    var message = document.getElementById("transcript-message");
    var bar = document.getElementById("transcript-progress");
    var delay = 4000;
    function poll() {
      fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (resp) { return resp.ok ? resp.json() : null; })
        .then(function (data) {
          if (!data) { setTimeout(poll, delay *= 2); return; }
          if (message && message.textContent !== data.message) { message.textContent = data.message; }
          if (bar && typeof data.percent === "number") {
            bar.value = data.percent;
            bar.textContent = data.percent + " %";
          }
          if (data.is_final) {
            // The cues are rendered by the server: show them.
            if (data.state === "done") { window.location.reload(); }
            return;
          }
          setTimeout(poll, delay);
        })
        .catch(function () { setTimeout(poll, delay *= 2); });
    }
    setTimeout(poll, delay);
  }

  follow(status);
  if (!editor) { return; }

  var form = editor;  // the editor is the form itself
  var splitAt = form ? form.querySelector("input[name=split_at]") : null;
  var cues = Array.prototype.slice.call(editor.querySelectorAll("li.cue"));
  var caret = { index: -1, position: -1 };

  editor.addEventListener("click", function (event) {
    var link = event.target.closest("a.cue-time");
    if (link) {
      var audio = player();
      if (!audio) { return; }
      event.preventDefault();
      audio.currentTime = parseFloat(link.dataset.start) || 0;
      var playing = audio.play();
      if (playing && playing.catch) { playing.catch(function () { /* autoplay refused: seek only */ }); }
      return;
    }
    var split = event.target.closest("button[name=split]");
    if (split && splitAt) {
      var index = parseInt(split.value, 10);
      splitAt.value = caret.index === index ? String(caret.position) : "";
    }
  });

  function remember(event) {
    var area = event.target;
    if (!area.matches || !area.matches("li.cue textarea")) { return; }
    var item = area.closest("li.cue");
    caret.index = cues.indexOf(item);
    caret.position = area.selectionStart;
  }
  editor.addEventListener("keyup", remember);
  editor.addEventListener("mouseup", remember);
  editor.addEventListener("focusin", remember);

  // The cue being heard is marked, so the text can be read along.
  var audio = player();
  if (audio && cues.length) {
    var starts = cues.map(function (li) { return parseFloat(li.dataset.start) || 0; });
    var current = null;
    audio.addEventListener("timeupdate", function () {
      var t = audio.currentTime, found = null;
      for (var i = starts.length - 1; i >= 0; i--) {
        if (starts[i] <= t) { found = cues[i]; break; }
      }
      if (found === current) { return; }
      if (current) { current.classList.remove("is-current"); current.removeAttribute("aria-current"); }
      if (found) { found.classList.add("is-current"); found.setAttribute("aria-current", "true"); }
      current = found;
    });
  }

  // Leaving with unsaved words asks first.
  if (form) {
    var changed = false;
    form.addEventListener("input", function () { changed = true; });
    form.addEventListener("submit", function () { changed = false; });
    window.addEventListener("beforeunload", function (event) {
      if (changed) { event.preventDefault(); event.returnValue = ""; }
    });
  }
})();
