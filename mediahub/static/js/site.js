/* Public pages: copy buttons (the player is player.js). Progressive
 * enhancement: without JavaScript the copy buttons stay hidden (the fields
 * are selectable). No third-party code. */
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
})();
