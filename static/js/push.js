// The profile's "Turn on notifications on this phone": one tap asks the browser's permission,
// subscribes through the service worker with the server's VAPID key, and hands the subscription
// to the server (reminders.views.push_subscribe). A notice never holds health data.
(function () {
  "use strict";
  var box = document.querySelector("[data-push]");
  if (!box) return;
  var on = box.querySelector(".push-on");
  var off = box.querySelector(".push-off");
  var state = box.querySelector(".push-state");
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    box.querySelector(".push-unsupported").hidden = false;
    return;
  }
  box.querySelector(".push-actions").hidden = false;

  function applicationServerKey() {
    var text = box.dataset.key.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(text + "===".slice((text.length + 3) % 4));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }

  function post(url, data) {
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    return fetch(url, {
      method: "POST",
      body: new URLSearchParams(data),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    }).then(function (response) {
      if (!response.ok) throw new Error("refused (" + response.status + ")");
      return response.json();
    });
  }

  function show(subscribed, text) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
    state.textContent = text || (subscribed ? "Notifications are on for this phone." : "Notifications are off for this phone.");
  }

  function registration() { return navigator.serviceWorker.ready; }

  registration().then(function (r) { return r.pushManager.getSubscription(); }).then(function (subscription) {
    if (subscription) show(true);
    else on.hidden = false;
  });

  on.addEventListener("click", function () {
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        show(false, "Notifications are blocked for this site: allow them in the browser's settings, then tap again.");
        return null;
      }
      return registration().then(function (r) {
        return r.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: applicationServerKey() });
      }).then(function (subscription) {
        var json = subscription.toJSON();
        return post(box.dataset.subscribeUrl, { endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth });
      }).then(function () { show(true); });
    }).catch(function () {
      show(false, "Notifications could not be turned on in this browser. Reminders can still come by e-mail.");
    });
  });

  off.addEventListener("click", function () {
    registration().then(function (r) { return r.pushManager.getSubscription(); }).then(function (subscription) {
      if (!subscription) return null;
      return post(box.dataset.unsubscribeUrl, { endpoint: subscription.endpoint }).then(function () {
        return subscription.unsubscribe();
      });
    }).then(function () { show(false); }).catch(function () {
      show(true, "Notifications could not be turned off just now: try again when you are online.");
    });
  });
})();
