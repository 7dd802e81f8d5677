/* Follow the rendering of a clip without reloading: each shape's progress
 * bar moves; when all are done (or one failed) the page is shown again. */
(function () {
  "use strict";

  var box = document.getElementById("clip-rendering");
  if (!box || !window.fetch) { return; }
  var delay = 2000;

  function update(data) {
    (data.renditions || []).forEach(function (r) {
      var bar = document.getElementById("clip-progress-" + r.shape);
      if (bar) {
        bar.value = Math.round((r.progress || 0) * 100);
        bar.textContent = bar.value + " %";
      }
    });
    if (data.render_state === "ready" || data.render_state === "failed") {
      window.location.reload();
      return false;
    }
    return true;
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (resp) { return resp.ok ? resp.json() : null; })
      .then(function (data) {
        if (data && !update(data)) { return; }
        delay = Math.min(delay * 1.2, 10000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, delay);
}());
