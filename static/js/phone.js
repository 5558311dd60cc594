// The app on the phone, on every page: registers the service worker (installable, offline log),
// sends the diary entries saved on this phone when a page opens or the connection returns, shows
// what became of them, and empties the phone on logout (after sending, or after asking).
(function () {
  "use strict";
  var script = document.currentScript;
  var user = script ? script.dataset.patient || "" : "";
  var workerUrl = script ? script.dataset.worker : "/sw.js";
  var outbox = window.DiaryOutbox && window.DiaryOutbox.available() ? window.DiaryOutbox : null;

  function statusArea() {
    var area = document.getElementById("phone-status");
    if (!area) {
      area = document.createElement("div");
      area.id = "phone-status";
      area.className = "messages phone-status";
      area.setAttribute("role", "status");
      var main = document.getElementById("main");
      if (main) main.insertBefore(area, main.firstChild);
    }
    return area;
  }

  // A message in the page's status area, which screen readers announce.
  function say(text, kind) {
    var area = statusArea();
    var box = document.createElement("div");
    box.className = "alert alert-" + (kind || "info");
    box.textContent = text;
    area.appendChild(box);
  }
  window.DiaryPhone = { say: say, user: user };

  function showNotices() {
    if (!outbox || !user) return Promise.resolve();
    return outbox.takeNotices(user).then(function (notices) {
      notices.forEach(function (n) { say(n.message, n.result === "kept_other" ? "warning" : "success"); });
      if (notices.length) document.dispatchEvent(new CustomEvent("diary:sent"));
    });
  }

  function sendWaiting() {
    if (!outbox || !user || !navigator.onLine) return Promise.resolve();
    return outbox.send(user).then(function () { return showNotices(); }).catch(function () { return null; });
  }
  window.DiaryPhone.sendWaiting = sendWaiting;

  if ("serviceWorker" in navigator && workerUrl) {
    navigator.serviceWorker.register(workerUrl, { scope: "/" }).catch(function () { return null; });
    if (user) {
      navigator.serviceWorker.ready.then(function (registration) {
        // Keep today's log for offline use (the worker keeps nothing else of the diary).
        if (registration.active && navigator.onLine) registration.active.postMessage({ type: "keep-today" });
      });
    }
  }

  // Days saved on this phone and not sent yet, other than the one this page's form shows (which
  // says so itself, diary-offline.js).
  function showWaiting() {
    if (!outbox || !user) return Promise.resolve();
    var form = document.querySelector(".diary-form[data-date]");
    return outbox.forUser(user).then(function (records) {
      var others = records.filter(function (r) { return !form || r.date !== form.dataset.date; });
      if (others.length) {
        say("Saved on this phone, not sent yet: your entry for " + others.map(function (r) { return r.date; }).join(", ") +
          ". It will be sent when you are online.", "warning");
      }
    });
  }

  if (outbox && user) {
    showNotices().then(function () { return navigator.onLine ? sendWaiting() : showWaiting(); });
    window.addEventListener("online", sendWaiting);
    // The worker sent what waited (background sync): say what became of it.
    if (navigator.serviceWorker) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "outbox-sent") showNotices();
      });
    }
  }

  // Logging out: send what waits first; if some cannot be sent, ask before it is deleted. Then the
  // worker empties its caches and the outbox, and the logout goes ahead.
  function clearPhone() {
    var steps = [];
    if (outbox) steps.push(outbox.clear());
    if (window.caches) {
      steps.push(caches.keys().then(function (names) {
        return Promise.all(names.map(function (n) { return caches.delete(n); }));
      }));
    }
    var controller = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (controller) controller.postMessage({ type: "clear" });
    return Promise.all(steps).catch(function () { return null; });
  }

  document.querySelectorAll('form[action$="/logout/"]').forEach(function (form) {
    var confirmed = false;
    form.addEventListener("submit", function (event) {
      if (confirmed || !outbox || !user) {
        return;
      }
      event.preventDefault();
      sendWaiting().then(function () { return outbox.forUser(user); }).then(function (left) {
        if (left.length) {
          var days = left.map(function (r) { return r.date; }).join(", ");
          var ok = window.confirm(
            "Not sent yet: your diary entry for " + days + " is only on this phone, and logging out " +
            "deletes it. Log out anyway? (Cancel, then log out again when you are online, to keep it.)"
          );
          if (!ok) return false;
        }
        return clearPhone().then(function () { return true; });
      }).then(function (go) {
        if (go && !navigator.onLine) {
          say("Nothing of your diary is kept on this phone any more. Logging out itself needs a connection: " +
            "tap Log out again when you are online.", "warning");
        } else if (go) {
          confirmed = true;
          HTMLFormElement.prototype.submit.call(form);
        }
      });
    });
  });
})();
