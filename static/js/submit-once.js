// One submit per tap: a second submit of a POST form while the first is on its way sends nothing.
// (A double tap on a confirmation's Delete otherwise deletes on the first request and shows a 404
// for the second.) The submit buttons are only marked aria-disabled: a disabled button would drop
// its name and value from the request.
// A form whose answer leaves the page in place (a file download) can be sent again after ten
// seconds; a form marked data-allow-resubmit is never held back.
(function () {
  "use strict";
  var AGAIN_AFTER_MS = 10000;

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.type === "submit"; });
  }

  function release(form) {
    delete form.dataset.sent;
    submitButtons(form).forEach(function (button) { button.removeAttribute("aria-disabled"); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method !== "post" || form.hasAttribute("data-allow-resubmit")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    if (event.defaultPrevented) return;  // another script stopped this one: it was not sent
    form.dataset.sent = "1";
    submitButtons(form).forEach(function (button) { button.setAttribute("aria-disabled", "true"); });
    setTimeout(function () { release(form); }, AGAIN_AFTER_MS);
  });

  // Back to this page from the browser's back-forward cache: its forms can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[data-sent]").forEach(release);
  });
})();
