// The queue's bulk form, improved: "All on this page" ticks every row's checkbox, and the
// count of selected claims is kept up to date. Without JavaScript the server reads "All on this
// page" itself (the form also lists the claims the page showed), so nothing here is needed
// for the form to work. Listeners sit on the document, so rows swapped in by htmx need none.
(function () {
  "use strict";

  function parts(form) {
    return {
      all: form.querySelector("input[name=all_on_page]"),
      rows: Array.prototype.slice.call(form.querySelectorAll("input[name=claim]")),
      count: form.querySelector(".bulk-count"),
    };
  }

  function update(form) {
    var p = parts(form);
    var ticked = p.rows.filter(function (box) { return box.checked; }).length;
    if (p.all) {
      p.all.checked = ticked > 0 && ticked === p.rows.length;
      p.all.indeterminate = ticked > 0 && ticked < p.rows.length;
    }
    if (p.count) {
      p.count.textContent = ticked ? p.count.dataset.template.replace("{count}", String(ticked)) : "";
    }
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    var form = box.form;
    if (!form || form.id !== "bulk-form") return;
    if (box.name === "all_on_page") {
      parts(form).rows.forEach(function (row) { row.checked = box.checked; });
    }
    if (box.name === "all_on_page" || box.name === "claim") update(form);
  });

  function start() {
    var form = document.getElementById("bulk-form");
    if (form) update(form);
  }
  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSwap", start);
})();
