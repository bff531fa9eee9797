/* The article change page keeps its edit lock while it is open (newsdesk.editorial.locks):
   a POST to the panel's data-edit-lock-url every data-edit-lock-refresh seconds, and the banner
   says who else is editing, if anyone. No inline script: loaded from the revision panel. */
(function () {
  "use strict";
  var panel = document.getElementById("revision-panel");
  if (!panel || !window.fetch) {
    return;
  }
  var url = panel.getAttribute("data-edit-lock-url");
  var seconds = Number(panel.getAttribute("data-edit-lock-refresh")) || 60;
  var banner = document.getElementById("edit-lock-banner");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!url || !banner || !token) {
    return;
  }

  function show(state) {
    banner.textContent = state.message || "";
    banner.hidden = !state.message;
  }

  function refresh() {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value, Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (state) {
          show(state);
        }
      })
      .catch(function () {
        /* Offline for a moment: the next refresh tries again. */
      });
  }

  window.setInterval(refresh, seconds * 1000);
})();
