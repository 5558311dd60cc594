// The diary's outbox: days saved on this phone (IndexedDB) until the server has them.
// Shared by the pages (a <script>) and the service worker (importScripts): self.DiaryOutbox.
//
// An entry is kept here before it is sent, so that a dropped connection, a closed tab or an
// out-of-date CSRF token never loses it. Sending asks the server for a fresh token first, checks
// that the same patient is still signed in, and sends each day once (a lock shared by every page
// and the worker). The server applies the same validation, the one-entry-per-day rule, and
// "the newer edit wins" (symptoms.views.send_from_phone); what it answers is kept as a notice
// for the next page to show when no page was there to show it.
(function (scope) {
  "use strict";
  var DB_NAME = "crps-diary";
  var ENTRIES = "entries";
  var NOTICES = "notices";
  var TOKEN_URL = "/diary/outbox/token/";
  var LOCK = "crps-diary-outbox";

  function available() {
    return typeof scope.indexedDB !== "undefined";
  }

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(ENTRIES)) db.createObjectStore(ENTRIES, { keyPath: "key" });
        if (!db.objectStoreNames.contains(NOTICES)) db.createObjectStore(NOTICES, { keyPath: "id", autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(storeName, mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result;
        var request = action(tx.objectStore(storeName));
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function keyFor(user, date) { return String(user) + ":" + date; }

  function put(record) { return run(ENTRIES, "readwrite", function (s) { return s.put(record); }); }
  function get(user, date) { return run(ENTRIES, "readonly", function (s) { return s.get(keyFor(user, date)); }); }
  function remove(key) { return run(ENTRIES, "readwrite", function (s) { return s.delete(key); }); }
  function all() { return run(ENTRIES, "readonly", function (s) { return s.getAll(); }); }
  function forUser(user) {
    return all().then(function (records) {
      return records.filter(function (r) { return String(r.user) === String(user); });
    });
  }
  function addNotice(notice) { return run(NOTICES, "readwrite", function (s) { return s.add(notice); }); }
  function takeNotices(user) {
    return run(NOTICES, "readonly", function (s) { return s.getAll(); }).then(function (notices) {
      var mine = notices.filter(function (n) { return String(n.user) === String(user); });
      return Promise.all(mine.map(function (n) {
        return run(NOTICES, "readwrite", function (s) { return s.delete(n.id); });
      })).then(function () { return mine; });
    });
  }
  // Logging out: nothing of the diary stays on the phone.
  function clear() {
    return Promise.all([
      run(ENTRIES, "readwrite", function (s) { return s.clear(); }),
      run(NOTICES, "readwrite", function (s) { return s.clear(); }),
    ]);
  }

  // A record: {key, user, date, sendUrl, fields: [[name, value], ...], savedAt (ms, this phone's
  // clock), seenAt (the form's entry's last change, from the server), status, errors}.
  function save(record) {
    record.key = keyFor(record.user, record.date);
    record.status = "waiting";
    record.errors = [];
    return put(record).then(function () { return record; });
  }

  function withLock(work) {
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK, work) : work();
  }

  // Who is signed in, and a fresh token; null when nobody is (the session ended: keep everything).
  function token() {
    return fetch(TOKEN_URL, { credentials: "same-origin", redirect: "manual", cache: "no-store" }).then(function (response) {
      if (!response.ok || (response.headers.get("Content-Type") || "").indexOf("json") < 0) return null;
      return response.json();
    });
  }

  function post(record, csrf, announce) {
    var body = new URLSearchParams();
    record.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.set("saved_at", String(record.savedAt));
    body.set("sent_at", String(Date.now()));
    body.set("seen_at", record.seenAt || "");
    if (announce) body.set("announce", "1");
    return fetch(record.sendUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
    }).then(function (response) {
      if ((response.headers.get("Content-Type") || "").indexOf("json") < 0) {
        throw new Error("not sent (" + response.status + ")");
      }
      return response.json();
    });
  }

  // Send every waiting entry of `user`. Resolves to {signedIn, results: [{record, answer}], left}.
  // `only` (a date) with `announce`: the form's own save, which the next page announces.
  function send(user, options) {
    options = options || {};
    return withLock(function () {
      return forUser(user).then(function (records) {
        var waiting = records.filter(function (r) {
          return r.status === "waiting" && (!options.only || r.date === options.only);
        });
        var outcome = { signedIn: true, results: [], left: records.length };
        if (!waiting.length) return outcome;
        return token().then(function (answer) {
          if (!answer || String(answer.user) !== String(user)) {
            outcome.signedIn = false;
            return outcome;
          }
          outcome.csrf = answer.csrf;
          return waiting.reduce(function (chain, record) {
            return chain.then(function () {
              return post(record, answer.csrf, options.announce).then(function (reply) {
                outcome.results.push({ record: record, answer: reply });
                if (reply.result === "invalid") {
                  record.status = "invalid";
                  record.errors = reply.errors || [];
                  return put(record);
                }
                outcome.left -= 1;
                var done = remove(record.key);
                if (!options.announce) {
                  done = done.then(function () {
                    return addNotice({ user: user, date: record.date, result: reply.result, message: reply.message });
                  });
                }
                return done;
              });
            });
          }, Promise.resolve()).then(function () { return outcome; });
        });
      });
    });
  }

  scope.DiaryOutbox = {
    available: available,
    save: save,
    get: get,
    remove: remove,
    forUser: forUser,
    all: all,
    send: send,
    takeNotices: takeNotices,
    clear: clear,
  };
})(self);
