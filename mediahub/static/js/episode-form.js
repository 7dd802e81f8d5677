/* The episode form with script: the fields are saved first (the draft
 * exists, nothing typed is lost), then the recording goes up in resumable
 * chunks with a progress bar. Without script the plain form uploads.
 *
 * No dead ends: a refused file is said next to the file field and the form
 * works again (the next Save sends the newly chosen file to the same draft);
 * "Cancel upload" leads to the saved draft. */
(function () {
  "use strict";

  var form = document.querySelector("[data-episode-form]");
  if (!form || !window.fetch || !window.MediaHubUpload) { return; }
  var $ = function (id) { return document.getElementById(id); };
  var fileInput = $("audio_file");
  var panel = $("upload-panel");
  var problems = $("form-problems");
  var recording = null;
  var controller = null;
  var nextUrl = null;

  if ($("recorder") && window.MediaHubRecorder) {
    window.MediaHubRecorder.init($("recorder"), function (blob, type) {
      recording = blob ? { blob: blob, type: type } : null;
    });
  }

  function csrf() {
    var field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function chosen() {
    if (fileInput && fileInput.files && fileInput.files.length) {
      var f = fileInput.files[0];
      return { blob: f, type: f.type };
    }
    return recording;
  }

  function clearErrors() {
    problems.hidden = true;
    problems.textContent = "";
    form.querySelectorAll(".js-error").forEach(function (el) { el.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }

  function showErrors(data) {
    var first = null;
    Object.keys(data.fields || {}).forEach(function (name) {
      var input = form.elements[name];
      if (!input || !input.id) { data.messages.push(data.fields[name]); return; }
      var p = document.createElement("p");
      p.className = "error js-error";
      p.id = input.id + "-error";
      p.textContent = data.fields[name];
      input.insertAdjacentElement("afterend", p);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", p.id);
      var details = input.closest("details");
      if (details) { details.open = true; }
      first = first || input;
    });
    var lines = (data.messages || []).slice();
    if (Object.keys(data.fields || {}).length) { lines.push(form.dataset.msgProblems); }
    lines.forEach(function (text) {
      var p = document.createElement("p");
      p.textContent = text;
      problems.appendChild(p);
    });
    problems.hidden = false;
    (first || problems).focus();
  }

  function say(text) { $("upload-status").textContent = text; }

  function saveButton() { return form.querySelector("button[type=submit]"); }

  // After the first save the draft exists: every later save changes it.
  function remember(saved) {
    nextUrl = saved.next_url;
    form.action = saved.edit_url;
    var version = form.elements.version;
    if (version && saved.version !== undefined) { version.value = saved.version; }
  }

  // The file was refused (not a recording, too large ...): say so at the
  // file field, forget the file and let the person choose another one.
  function refused(message) {
    panel.hidden = true;
    controller = null;
    if (fileInput) { fileInput.value = ""; }
    saveButton().disabled = false;
    showErrors({ fields: { audio_file: message }, messages: [] });
  }

  function progress(sent, total) {
    var bar = $("upload-progress");
    bar.max = total;
    bar.value = sent;
    $("upload-progress-text").textContent = panel.dataset.msgProgress
      .replace("%(done)s", window.MediaHubUpload.formatBytes(sent))
      .replace("%(total)s", window.MediaHubUpload.formatBytes(total));
  }

  function upload(createUrl, file) {
    if (controller) { controller.abandon(); }
    panel.hidden = false;
    $("upload-retry").hidden = true;
    $("upload-cancel").hidden = false;
    say(panel.dataset.msgUploading);
    progress(0, file.blob.size);
    controller = window.MediaHubUpload.start({
      createUrl: createUrl,
      blob: file.blob,
      type: file.type,
      csrfToken: csrf(),
      chunkSize: 5 * 1024 * 1024,
      onProgress: progress,
      onRetrying: function (seconds) { say(panel.dataset.msgPaused.replace("%(seconds)s", seconds)); },
      onFailed: function (message) {
        if (message) { refused(message); return; }
        // The connection is gone for good: continue later, or save again.
        say(panel.dataset.msgFailed);
        saveButton().disabled = false;
        $("upload-retry").hidden = false;
        $("upload-retry").focus();
      },
      onDone: function () {
        say(panel.dataset.msgDone);
        $("upload-cancel").hidden = true;
        window.location.assign(nextUrl);
      },
      onCancelled: function () {
        // The fields are saved: the draft's page says what to do next.
        say(panel.dataset.msgCancelled);
        $("upload-cancel").hidden = true;
        $("upload-retry").hidden = true;
        window.location.assign(nextUrl);
      }
    });
  }

  $("upload-cancel").addEventListener("click", function () { if (controller) { controller.cancel(); } });
  $("upload-retry").addEventListener("click", function () {
    if (!controller) { return; }
    $("upload-retry").hidden = true;
    saveButton().disabled = true;
    say(panel.dataset.msgUploading);
    controller.retry();
  });

  form.addEventListener("submit", function (event) {
    var file = chosen();
    if (!file) { return; } // nothing big to send: the plain form does it
    event.preventDefault();
    clearErrors();
    var data = new FormData(form);
    data.delete("audio_file");
    var button = saveButton();
    button.disabled = true;
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "mediahub", "Accept": "application/json" }
    }).then(function (resp) {
      return resp.json().then(function (body) { return { ok: resp.ok, body: body }; });
    }).then(function (result) {
      if (!result.ok) { button.disabled = false; showErrors(result.body); return; }
      button.disabled = true; // the upload is under way; the next page follows
      remember(result.body);
      upload(result.body.upload_url, file);
    }).catch(function () {
      button.disabled = false;
      problems.textContent = form.dataset.msgFailed;
      problems.hidden = false;
    });
  });
}());
