/* Public pages: copy buttons and seeking the player from chapters and the
 * transcript. Progressive enhancement: without JavaScript the copy buttons
 * stay hidden (the fields are selectable) and the links open the MP3 at the
 * moment given by its #t= media fragment. No third-party code. */
(function () {
  "use strict";

  var status = document.querySelector(".copy-status");

  function announce(text) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function copyFrom(field) {
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    // Plain http (e.g. a local hub): the older way still works.
    return new Promise(function (resolve, reject) {
      try { document.execCommand("copy") ? resolve() : reject(new Error("copy")); }
      catch (e) { reject(e); }
    });
  }

  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyFrom(field).then(function () {
        announce(status ? status.getAttribute("data-copied") : "");
      }, function () { /* the text stays selected: Ctrl+C still works */ });
    });
  });

  var player = document.getElementById("player");
  if (!player) return;
  // A clip's link plays its passage only: the player pauses at its end.
  var stopAt = null;
  player.addEventListener("timeupdate", function () {
    if (stopAt !== null && player.currentTime >= stopAt) { player.pause(); stopAt = null; }
  });
  document.querySelectorAll("a[data-seek]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var seconds = parseFloat(link.getAttribute("data-seek"));
      if (!isFinite(seconds)) return;
      event.preventDefault();
      var end = parseFloat(link.getAttribute("data-seek-end"));
      stopAt = isFinite(end) ? end : null;
      player.currentTime = seconds;
      var playing = player.play();
      if (playing && playing.catch) playing.catch(function () {});
      player.focus();
    });
  });
})();
