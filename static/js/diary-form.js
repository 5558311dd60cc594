// Diary form: reveal the 0-10 tap buttons and keep them in step with the number field.
// The number field stays the real (and keyboard-accessible) control.
(function () {
  "use strict";

  function syncButtons(scale) {
    var input = scale.querySelector("input[type=number]");
    scale.querySelectorAll(".scale-buttons button").forEach(function (button) {
      button.classList.toggle("selected", button.dataset.value !== "" && button.dataset.value === input.value);
    });
  }

  document.querySelectorAll("[data-scale]").forEach(function (scale) {
    var input = scale.querySelector("input[type=number]");
    scale.querySelectorAll(".scale-buttons, .scale-clear").forEach(function (el) { el.hidden = false; });
    scale.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-value]");
      if (!button) return;
      input.value = button.dataset.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    input.addEventListener("input", function () { syncButtons(scale); });
    syncButtons(scale);
  });
  // "Copied from 3 Dec": once the patient changes a copied value it is theirs, and the mark goes
  // (from sight and from what a screen reader announces with the field).
  var form = document.querySelector(".diary-form");
  function forgetCopy(event) {
    var mark = event.target.name && document.getElementById("id_" + event.target.name + "_copied");
    if (mark) mark.remove();
  }
  if (form) {
    form.addEventListener("input", forgetCopy);
    form.addEventListener("change", forgetCopy);
  }
  // A second tap on "Save" sends nothing more: see submit-once.js (every POST form).
})();
