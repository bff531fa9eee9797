// The batch page follows the worker: the result list is fetched again from the batch's JSON every
// second or two until no input is waiting (newsdesk.editorial; no inline script, CSP-friendly).
(function () {
  "use strict";

  var box = document.getElementById("ingest-results");
  if (!box || !window.fetch || box.getAttribute("data-pending") !== "true") {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var interval = 1500;
  var delay = interval;

  function schedule() {
    window.setTimeout(poll, delay);
  }

  function poll() {
    window
      .fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (batch) {
        box.innerHTML = batch.html;
        box.setAttribute("data-pending", batch.pending ? "true" : "false");
        delay = interval;
        if (batch.pending) {
          schedule();
        }
      })
      .catch(function () {
        // A dropped connection or a restarting server: try again, less often.
        delay = Math.min(delay * 2, 30000);
        schedule();
      });
  }

  schedule();
})();
