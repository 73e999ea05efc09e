// Starts ReDoc on the schema its container names, with the settings it carries; the styles
// ReDoc writes as it runs carry this script's nonce, which the page's policy allows.
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  var settings = JSON.parse(container.dataset.settings || "{}");
  settings.nonce = document.currentScript.nonce;
  Redoc.init(container.dataset.schemaUrl, settings, container);
})();
