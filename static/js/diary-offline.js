// The day's form without a connection: the entry is kept on this phone (the outbox, outbox.js), the
// page says so, and it is sent when the connection returns (or at once, if it is back by the time
// of the save: then the page moves to the history, as after a plain form post). Online, and without
// the outbox (no IndexedDB, no script), the form posts as it always did.
(function () {
  "use strict";
  var form = document.querySelector(".diary-form[data-send-url]");
  var phone = window.DiaryPhone;
  var outbox = window.DiaryOutbox;
  if (!form || !phone || !phone.user || !outbox || !outbox.available()) return;
  var date = form.dataset.date;
  var state = document.getElementById("outbox-state");
  var sending = false;

  function timeOf(ms) {
    return new Date(ms).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  }

  function show(record) {
    state.hidden = false;
    if (record.status === "invalid") {
      state.className = "alert alert-danger outbox-state";
      state.textContent = "Your entry saved on this phone at " + timeOf(record.savedAt) + " was not accepted: " +
        record.errors.join(" ") + " Change it and save again.";
    } else {
      state.className = "alert alert-warning outbox-state";
      state.textContent = "Saved on this phone at " + timeOf(record.savedAt) +
        ", not sent yet: it will be sent when you are online. You can close the app.";
    }
  }

  function clearFields() {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name === "csrfmiddlewaretoken" || !el.name) return;
      if (el.type === "checkbox" || el.type === "radio") el.checked = false;
      else if (el.tagName === "SELECT") el.selectedIndex = 0;
      else if (el.type !== "submit" && el.type !== "button" && el.type !== "hidden") el.value = "";
    });
  }

  function fill(fields) {
    clearFields();
    fields.forEach(function (pair) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== pair[0]) return;
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === pair[1]) el.checked = true;
        } else {
          el.value = pair[1];
        }
      });
    });
    form.querySelectorAll("input[type=number]").forEach(function (input) {
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  // The patient's today, in their own time zone.
  function localToday() {
    return new Intl.DateTimeFormat("en-CA", {
      timeZone: form.dataset.timeZone || undefined, year: "numeric", month: "2-digit", day: "2-digit",
    }).format(new Date());
  }

  // A today page kept offline since an earlier day: it logs today, empty.
  if (form.dataset.isToday && !navigator.onLine && localToday() > date) {
    date = localToday();
    form.dataset.date = date;
    form.dataset.sendUrl = "/diary/" + date + "/send/";
    form.dataset.seenAt = "";
    form.action = "/diary/" + date + "/";
    clearFields();
    var shown = document.querySelector(".day-date");
    if (shown) {
      shown.textContent = new Date(date + "T12:00:00Z").toLocaleDateString("en-GB", {
        weekday: "long", day: "numeric", month: "long", timeZone: "UTC",
      });
    }
  }
  // Offline, what needs the server (copying an earlier day, deleting, another day) is hidden.
  function markConnection() {
    document.querySelectorAll(".needs-connection").forEach(function (el) { el.hidden = !navigator.onLine; });
  }
  markConnection();
  window.addEventListener("online", markConnection);
  window.addEventListener("offline", markConnection);

  var filled = false;
  outbox.get(phone.user, date).then(function (record) {
    if (record) {
      fill(record.fields);
      filled = true;
      show(record);
    }
  });
  // Sent by the worker or on this page's return online: the form may no longer show what is saved
  // (a newer change made elsewhere was kept), so the page offers the saved day.
  document.addEventListener("diary:sent", function () {
    outbox.get(phone.user, date).then(function (record) {
      if (record) return;
      if (!filled) {
        state.hidden = true;
        return;
      }
      state.className = "alert alert-info outbox-state";
      state.textContent = "Sent: what became of it is said above. ";
      var again = document.createElement("a");
      again.href = window.location.pathname;
      again.textContent = "Show the day as it is saved now";
      state.appendChild(again);
    });
  });

  function keepForLater(record) {
    filled = true;  // the form shows what waits on the phone
    show(record);
    if (navigator.serviceWorker) {
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.sync) return registration.sync.register("diary-outbox");
        return null;
      }).catch(function () { return null; });
    }
  }

  // A page opened without a connection (the worker's kept copy) carries an old CSRF token: its save
  // goes through the outbox, which asks for a fresh one, even once the connection is back.
  var openedOffline = !navigator.onLine;

  form.addEventListener("submit", function (event) {
    if (navigator.onLine && !openedOffline) return;  // a plain form post, as without this script
    event.preventDefault();
    if (sending) return;  // a second tap while the first save is on its way
    sending = true;
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (["csrfmiddlewaretoken", "phone_user", "seen_at", "phone_today"].indexOf(name) < 0) {
        fields.push([name, String(value)]);
      }
    });
    var record;
    outbox.save({
      user: phone.user, date: date, sendUrl: form.dataset.sendUrl, fields: fields,
      savedAt: Date.now(), seenAt: form.dataset.seenAt || "",
    }).then(function (saved) {
      record = saved;
      if (!navigator.onLine) return null;
      return outbox.send(phone.user, { only: date, announce: true }).catch(function () { return null; });
    }).then(function (outcome) {
      sending = false;
      if (!outcome) {
        keepForLater(record);
        return;
      }
      if (!outcome.signedIn) {
        show(record);
        state.textContent += " You are signed out: log in again to send it.";
        return;
      }
      var sent = outcome.results[0];
      if (sent && sent.answer.result === "invalid") {
        // The server's own page says what is wrong, beside each field (with a fresh token).
        return outbox.remove(record.key).then(function () {
          if (outcome.csrf) form.querySelector("[name=csrfmiddlewaretoken]").value = outcome.csrf;
          HTMLFormElement.prototype.submit.call(form);
        });
      }
      window.location.assign(sent ? sent.answer.next : form.dataset.historyUrl);
    }).catch(function () {
      sending = false;
      if (record) keepForLater(record);
    });
  });
})();
