/* The post editor: a live preview (debounced, rendered and sanitised by the
 * server) and pictures inserted as Markdown at the cursor. */
(function () {
  "use strict";

  var form = document.querySelector("[data-post-form]");
  if (!form || !window.fetch) { return; }
  var $ = function (id) { return document.getElementById(id); };
  var body = $("body");
  var preview = $("post-preview");
  var timer = null;

  function csrf() {
    var field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function refresh() {
    var data = new FormData();
    data.append("body", body.value);
    fetch(form.dataset.previewUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }
    }).then(function (resp) { return resp.ok ? resp.json() : null; })
      .then(function (result) {
        // The HTML was sanitised by the server (nh3): only harmless tags remain.
        if (result) { preview.innerHTML = result.html; }
      }).catch(function () {});
  }

  $("post-preview-box").hidden = false;
  body.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 600);
  });
  refresh();

  var box = $("post-image");
  if (!box) { return; }
  box.hidden = false;
  var status = $("post-image-status");

  function insertAtCursor(text) {
    var start = body.selectionStart || 0;
    var end = body.selectionEnd || 0;
    var before = body.value.slice(0, start);
    var glue = before && !/\n\n$/.test(before) ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
    body.value = before + glue + text + "\n\n" + body.value.slice(end);
    var caret = (before + glue + text).length;
    body.focus();
    body.setSelectionRange(caret, caret);
    refresh();
  }

  $("post-image-insert").addEventListener("click", function () {
    var file = $("post-image-file").files[0];
    var alt = $("post-image-alt").value.trim();
    if (!file) { status.textContent = box.dataset.msgNoFile; $("post-image-file").focus(); return; }
    if (!alt) { status.textContent = box.dataset.msgNoAlt; $("post-image-alt").focus(); return; }
    var data = new FormData();
    data.append("file", file);
    data.append("alt", alt);
    data.append("csrf_token", csrf());
    status.textContent = box.dataset.msgUploading;
    fetch(box.dataset.uploadUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (resp) { return resp.json().then(function (b) { return { ok: resp.ok, body: b }; }); })
      .then(function (result) {
        if (!result.ok) { status.textContent = result.body.error.message; return; }
        insertAtCursor(result.body.markdown);
        $("post-image-file").value = "";
        $("post-image-alt").value = "";
        status.textContent = box.dataset.msgInserted;
      })
      .catch(function () { status.textContent = box.dataset.msgFailed; });
  });
}());
