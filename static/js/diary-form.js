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
      // A second tap on the chosen number clears it (on a phone's quick log, Clear is not shown).
      input.value = button.dataset.value === input.value ? "" : button.dataset.value;
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
  // Quick notes: one tap adds the note to the day's notes, a second tap takes it out again.
  var notes = document.getElementById("id_notes");
  function notePresent(text) {
    return notes.value.split(/;\s*|\n/).some(function (part) { return part.trim() === text; });
  }
  document.querySelectorAll(".note-chip").forEach(function (chip) {
    if (!notes) return;
    var text = chip.dataset.note;
    chip.setAttribute("aria-pressed", notePresent(text) ? "true" : "false");
    chip.addEventListener("click", function () {
      if (notePresent(text)) {
        notes.value = notes.value.split(/;\s*/).filter(function (part) { return part.trim() !== text; }).join("; ");
      } else {
        notes.value = notes.value.trim() ? notes.value.replace(/\s+$/, "") + "; " + text : text;
      }
      chip.setAttribute("aria-pressed", notePresent(text) ? "true" : "false");
      notes.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });
  // A second tap on "Save" sends nothing more: see submit-once.js (every POST form).
})();
