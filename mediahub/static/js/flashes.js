/* Confirmations where the person is looking. A form far down a page sends
 * the person back to its own section (an address ending in #its-heading);
 * the confirmation is then moved from the top of the page to just below
 * that heading, and focused so that screen readers read it at once (as
 * GOV.UK's success banner does). Without JavaScript it stays at the top. */
(function () {
  "use strict";

  var flashes = document.querySelector("main .flashes");
  if (!flashes) return;
  var id = window.location.hash.slice(1);
  var target = null;
  try { target = id ? document.getElementById(decodeURIComponent(id)) : null; }
  catch (e) { target = null; /* a malformed address: leave it at the top */ }
  if (target && !flashes.contains(target)) {
    target.insertAdjacentElement("afterend", flashes);
  }
  flashes.setAttribute("tabindex", "-1");

  function show() {
    flashes.focus({ preventScroll: !!target });
    if (target) target.scrollIntoView({ block: "start" });
  }
  show();
  // The browser's own move to the #heading comes later and hands the focus
  // to the page (the heading cannot take it): show the message again then,
  // unless the person has already moved on.
  window.addEventListener("load", function () {
    window.setTimeout(function () {
      if (document.activeElement === document.body || document.activeElement === null) show();
    }, 0);
  });
})();
