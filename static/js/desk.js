// Small improvements over pages that work without JavaScript.
// A text field with a length limit says, as one types, how much room is left.
// A comment's "Find a colleague to mention" field (hidden without a script) lists the people
// htmx finds; choosing one puts their @username where the comment's cursor was.
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
    root.querySelectorAll("[data-mention-search][hidden]").forEach(function (block) {
      block.hidden = false;
    });
  }

  function mention(button) {
    var block = button.closest("[data-mention-search]");
    var field = block && document.getElementById(block.dataset.mentionInto);
    if (!field) return;
    var start = field.selectionStart, end = field.selectionEnd;
    var words = "@" + button.dataset.mention + " ";
    if (start > 0 && !/\s/.test(field.value.charAt(start - 1))) words = " " + words;
    field.setRangeText(words, start, end, "end");
    field.dispatchEvent(new Event("input", { bubbles: true }));  // the counter follows
    var search = block.querySelector("input[type=search]");
    search.value = "";
    block.querySelector(".mention-results").textContent = "";
    field.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-mention]");
    if (button) mention(button);
  });
  // Enter in the search field chooses the first person found rather than sending the comment.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches("[data-mention-search] input")) return;
    event.preventDefault();
    var first = event.target.closest("[data-mention-search]").querySelector("[data-mention]");
    if (first) mention(first);
  });

  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  // htmx swaps parts of a page in place: give their fields a counter too.
  document.addEventListener("htmx:afterSwap", function (event) { attachAll(event.target); });
})();
