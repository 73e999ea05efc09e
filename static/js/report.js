// The printable report's Print button, hidden where this does not run (no JavaScript). It is
// written into the report itself, as its stylesheet is (claims/interchange/exports/html.py).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
    button.hidden = false;
  });
});
