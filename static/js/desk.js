// Small improvements over pages that work without JavaScript.
// A text field with a length limit says, as one types, how much room is left.
(function () {
  "use strict";

  function attachCounter(field) {
    if (field.dataset.counterAttached) return;
    field.dataset.counterAttached = "yes";
    var counter = document.createElement("p");
    counter.className = "counter muted small";
    counter.setAttribute("aria-live", "polite");
    counter.id = field.id + "-counter";
    field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + counter.id).trim());
    field.insertAdjacentElement("afterend", counter);
    var update = function () {
      var left = Number(field.getAttribute("maxlength")) - field.value.length;
      counter.textContent = field.dataset.counter.replace("%(left)s", String(left));
    };
    field.addEventListener("input", update);
    update();
  }

  function attachAll(root) {
    root.querySelectorAll("textarea[maxlength][data-counter]").forEach(attachCounter);
  }

  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  // htmx swaps parts of a page in place: give their fields a counter too.
  document.addEventListener("htmx:afterSwap", function (event) { attachAll(event.target); });
})();
