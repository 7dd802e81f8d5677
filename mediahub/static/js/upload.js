/* Resumable uploads with the tus 1.0.0 protocol (creation + termination).
 *
 * window.MediaHubUpload.start(options) -> controller {cancel(), abandon(), retry()}
 *   cancel() gives up and says so (onCancelled); abandon() gives up quietly
 *   (another file is about to be sent instead).
 *   options: createUrl, blob, type, csrfToken, chunkSize,
 *            onProgress(sent, total), onRetrying(seconds), onFailed(message),
 *            onDone(), onCancelled()
 * A dropped connection is retried with growing pauses (1, 2, 4 … 30 s); before
 * each retry the server is asked (HEAD) how far it got, so nothing is sent twice.
 */
(function () {
  "use strict";

  var TUS = "1.0.0";
  var MAX_AUTO_RETRIES = 8;

  function headers(token, extra) {
    var h = { "Tus-Resumable": TUS };
    if (token) { h["X-CSRFToken"] = token; }
    for (var k in extra) { if (Object.prototype.hasOwnProperty.call(extra, k)) { h[k] = extra[k]; } }
    return h;
  }

  function errorMessage(xhr) {
    try {
      var body = JSON.parse(xhr.responseText);
      return body.error && body.error.message;
    } catch (e) {
      return null;
    }
  }

  function start(opts) {
    var chunkSize = opts.chunkSize || 5 * 1024 * 1024;
    var total = opts.blob.size;
    var url = null;
    var offset = 0;
    var xhr = null;
    var cancelled = false;
    var failures = 0;
    var timer = null;

    function request(method, target, extra, body, onload, onerror, onprogress) {
      xhr = new XMLHttpRequest();
      xhr.open(method, target);
      var h = headers(opts.csrfToken, extra);
      for (var k in h) { if (Object.prototype.hasOwnProperty.call(h, k)) { xhr.setRequestHeader(k, h[k]); } }
      if (onprogress && xhr.upload) { xhr.upload.onprogress = onprogress; }
      xhr.onload = function () { onload(xhr); };
      xhr.onerror = onerror;
      xhr.ontimeout = onerror;
      xhr.send(body || null);
    }

    function fail(message) {
      if (!cancelled) { opts.onFailed(message); }
    }

    function dropped() {
      if (cancelled) { return; }
      failures += 1;
      if (failures > MAX_AUTO_RETRIES) { fail(null); return; }
      var seconds = Math.min(30, Math.pow(2, failures - 1));
      opts.onRetrying(seconds);
      timer = window.setTimeout(resume, seconds * 1000);
    }

    function create() {
      var meta = "filetype " + btoa(opts.type || "application/octet-stream");
      request("POST", opts.createUrl, { "Upload-Length": String(total), "Upload-Metadata": meta }, null,
        function (x) {
          if (x.status === 201) {
            // The absolute Location is BASE_URL's; the page talks to its own
            // origin (CSP connect-src 'self'), whatever name it was opened under.
            url = new URL(x.getResponseHeader("Location"), window.location.href).pathname;
            failures = 0;
            send();
          } else if (x.status >= 500 || x.status === 0) {
            dropped();
          } else {
            fail(errorMessage(x));
          }
        }, dropped);
    }

    function resume() {
      if (cancelled) { return; }
      if (!url) { create(); return; }
      request("HEAD", url, {}, null, function (x) {
        if (x.status === 200) {
          offset = parseInt(x.getResponseHeader("Upload-Offset"), 10) || 0;
          opts.onProgress(offset, total);
          send();
        } else if (x.status === 404 || x.status === 410) {
          url = null;
          offset = 0;
          create();
        } else if (x.status >= 500 || x.status === 0) {
          dropped();
        } else {
          fail(errorMessage(x));
        }
      }, dropped);
    }

    function send() {
      if (cancelled) { return; }
      var end = Math.min(offset + chunkSize, total);
      // The last PATCH may be empty when its answer got lost: it finishes the upload.
      var body = opts.blob.slice(offset, end);
      var base = offset;
      request("PATCH", url, { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" }, body,
        function (x) {
          if (x.status === 204) {
            offset = parseInt(x.getResponseHeader("Upload-Offset"), 10);
            failures = 0;
            opts.onProgress(offset, total);
            if (offset >= total) { opts.onDone(); } else { send(); }
          } else if (x.status === 409 || x.status >= 500 || x.status === 0) {
            dropped();
          } else {
            fail(errorMessage(x));
          }
        }, dropped,
        function (e) { if (e.lengthComputable) { opts.onProgress(base + e.loaded, total); } });
    }

    // Stop and let the server delete what arrived; then ``done`` (a page
    // that navigates away at once would cut the DELETE off).
    function abandon(done) {
      var after = typeof done === "function" ? done : function () {};
      if (cancelled) { after(); return; }
      cancelled = true;
      window.clearTimeout(timer);
      if (xhr) { xhr.onerror = null; xhr.abort(); }
      if (url) { request("DELETE", url, {}, null, after, after); } else { after(); }
    }

    create();
    return {
      cancel: function () { abandon(opts.onCancelled); },
      abandon: abandon,
      retry: function () {
        window.clearTimeout(timer);
        failures = 0;
        cancelled = false;
        resume();
      }
    };
  }

  function formatBytes(bytes) {
    var lang = document.documentElement.lang || "de";
    var fmt = new Intl.NumberFormat(lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    if (bytes >= 1e9) { return fmt.format(bytes / 1e9) + " GB"; }
    return fmt.format(bytes / 1e6) + " MB";
  }

  window.MediaHubUpload = { start: start, formatBytes: formatBytes };
}());
