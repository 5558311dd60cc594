// Sign-up: propose the browser's own time zone so the diary's "today" is the patient's.
(function () {
  "use strict";
  var select = document.getElementById("id_time_zone");
  if (!select || select.dataset.touched) return;
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && select.querySelector('option[value="' + zone + '"]')) select.value = zone;
  } catch (e) { /* keep the server's default */ }
})();
