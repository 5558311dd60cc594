// The app's service worker, served at /sw.js (reminders.views.service_worker) so that it covers the app.
//
// What it keeps on the phone: the app's shell (styles, scripts, icons, the offline page, none of which
// holds health data) and the signed-in patient's own "today" log, so that the log opens without a
// connection. No other page is kept. Entries saved offline wait in the outbox (outbox.js) and are
// sent when the connection returns (background sync, where the browser has it; otherwise the next
// page). Logging out empties both (phone.js asks for "clear").
importScripts("/static/js/outbox.js");

var SHELL = "crps-shell-v1";
var TODAY_CACHE = "crps-today-v1";
var TODAY = "/diary/today/";
var OFFLINE = "/offline/";
var SYNC_TAG = "diary-outbox";

// The static files a page uses (its styles and scripts): kept with the shell.
function staticUrls(html) {
  var found = {};
  var pattern = /(?:src|href)="(\/static\/[^"]+)"/g;
  var match;
  while ((match = pattern.exec(html))) found[match[1]] = true;
  return Object.keys(found);
}

// Fetch a page as the signed-in user and keep it (and its static files) in `cacheName`. A page that
// answers with a redirect (to the login page: nobody is signed in) is not kept, and the kept today
// page goes: it was someone's diary.
function keepPage(cacheName, path) {
  return fetch(path, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (!response.ok || response.redirected) {
      return path === TODAY ? caches.delete(TODAY_CACHE) : null;
    }
    return response.clone().text().then(function (html) {
      return caches.open(cacheName).then(function (cache) {
        return cache.put(path, response).then(function () {
          return caches.open(SHELL).then(function (shell) { return shell.addAll(staticUrls(html)); });
        });
      });
    });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(keepPage(SHELL, OFFLINE).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n !== SHELL && n !== TODAY_CACHE; }).map(function (n) {
        return caches.delete(n);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

function fromCacheThenRefresh(request) {
  return caches.open(SHELL).then(function (cache) {
    return cache.match(request).then(function (kept) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
      if (kept) {
        fresh.catch(function () { return null; });
        return kept;
      }
      return fresh;
    });
  });
}

function todayPage(request) {
  return fetch(request).then(function (response) {
    var path = new URL(response.url).pathname;
    if (response.ok && !response.redirected && path === TODAY) {
      var copy = response.clone();
      caches.open(TODAY_CACHE).then(function (cache) { return cache.put(TODAY, copy); });
    } else if (response.redirected) {
      caches.delete(TODAY_CACHE);  // signed out: the kept log was someone's diary
    }
    return response;
  }).catch(function () {
    return caches.match(TODAY, { cacheName: TODAY_CACHE }).then(function (kept) {
      return kept || caches.match(OFFLINE);
    });
  });
}

// A day's form posted while the connection is there in name only (a weak signal): if the post does
// not get through, the entry is kept in the outbox as the page itself would keep it offline, and the
// browser is sent to today's log, which says so (diary-offline.js). Nothing typed is lost.
var DAY_FORM = /^\/diary\/(\d{4}-\d{2}-\d{2})\/$/;

function keepPostedDay(request, date) {
  return request.formData().then(function (form) {
    var fields = [];
    form.forEach(function (value, name) {
      if (["csrfmiddlewaretoken", "phone_user", "seen_at", "phone_today"].indexOf(name) < 0) {
        fields.push([name, String(value)]);
      }
    });
    var user = form.get("phone_user");
    if (!user) return Response.error();
    return self.DiaryOutbox.save({
      user: String(user), date: date, sendUrl: "/diary/" + date + "/send/", fields: fields,
      savedAt: Date.now(), seenAt: String(form.get("seen_at") || ""),
    }).then(function () {
      if (self.registration.sync) self.registration.sync.register(SYNC_TAG).catch(function () { return null; });
      // Today's log (kept for offline use) says what waits on the phone, whatever the day.
      return Response.redirect(TODAY, 303);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var day = request.method === "POST" && request.mode === "navigate" && DAY_FORM.exec(new URL(request.url).pathname);
  if (day) {
    var copy = request.clone();
    event.respondWith(fetch(request).catch(function () { return keepPostedDay(copy, day[1]); }));
    return;
  }
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fromCacheThenRefresh(request));
  } else if (request.mode === "navigate" && url.pathname === TODAY) {
    event.respondWith(todayPage(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE).then(function (kept) { return kept || Response.error(); });
    }));
  }
});

// Send what waits in the outbox, for whoever is signed in now (the outbox checks it again).
function sendOutbox() {
  return fetch("/diary/outbox/token/", { credentials: "same-origin", redirect: "manual", cache: "no-store" })
    .then(function (response) {
      if (!response.ok || (response.headers.get("Content-Type") || "").indexOf("json") < 0) return null;
      return response.json();
    })
    .then(function (answer) { return answer ? self.DiaryOutbox.send(answer.user) : null; })
    .then(function (outcome) {
      if (!outcome || !outcome.results.length) return null;
      return self.clients.matchAll({ type: "window" }).then(function (pages) {
        pages.forEach(function (page) { page.postMessage({ type: "outbox-sent" }); });
      });
    });
}

self.addEventListener("sync", function (event) {
  if (event.tag === SYNC_TAG) event.waitUntil(sendOutbox());
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var done;
  if (data.type === "keep-today") {
    done = keepPage(TODAY_CACHE, TODAY).catch(function () { return null; });
  } else if (data.type === "clear") {
    done = caches.keys().then(function (names) {
      return Promise.all(names.map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.DiaryOutbox.clear(); });
  }
  if (done) {
    event.waitUntil(done.then(function () {
      if (event.ports && event.ports[0]) event.ports[0].postMessage({ done: data.type });
    }));
  }
});

// Push: a notice is "Time to log today" or "Something changed in your diary" and a link into the
// app (reminders.notices); never health data. Only the app's own pages are opened.
function safePath(url) {
  return typeof url === "string" && /^\/(?!\/)/.test(url) ? url : TODAY;
}

self.showNotice = function (notice) {
  notice = notice || {};
  return self.registration.showNotification(notice.title || "CRPS Tracker", {
    body: notice.body || "Time to log today",
    tag: notice.tag || "crps-tracker",
    icon: "/static/img/icons/icon-192.png",
    data: { url: safePath(notice.url) },
  });
};

// The app's window, if one is open, goes to the page (and comes to the front); else a new one opens.
self.openTarget = function (url) {
  var target = new URL(safePath(url), self.location.origin).href;
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    var open = windows.filter(function (w) { return new URL(w.url).origin === self.location.origin; })[0];
    if (open) {
      return open.navigate(target).then(function (moved) {
        // To the front: allowed in a notification's click (not when called otherwise).
        return (moved || open).focus().catch(function () { return moved || open; });
      });
    }
    return self.clients.openWindow(target);
  });
};

self.addEventListener("push", function (event) {
  var notice = {};
  try {
    notice = event.data ? event.data.json() : {};
  } catch (error) {
    notice = {};
  }
  event.waitUntil(self.showNotice(notice));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(self.openTarget(event.notification.data && event.notification.data.url));
});
