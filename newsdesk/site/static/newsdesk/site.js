// Progressive enhancement only: every page reads and works without this file.
(function () {
  "use strict";

  // Counting this reading of the article for 特に人気 (newsdesk/site/pageviews.py): the page is the
  // same cached copy for everyone and its view never runs, so the page says it was read. A reload
  // or a back/forward visit is the same reading again; a prerendered page counts once it is shown.
  function countView(url) {
    if (navigator.sendBeacon && navigator.sendBeacon(url)) return;
    if (window.fetch) fetch(url, { method: "POST", credentials: "omit", keepalive: true }).catch(function () {});
  }

  var counted = document.querySelector("[data-view-url]");
  var navigation = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  if (counted && (!navigation || navigation.type === "navigate")) {
    var url = counted.getAttribute("data-view-url");
    if (document.prerendering) {
      document.addEventListener("prerenderingchange", function () {
        countView(url);
      }, { once: true });
    } else {
      countView(url);
    }
  }

  function copyText(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    // Fallback for plain-HTTP pages and older browsers.
    input.focus();
    input.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) {
      return;
    }
    var status = button.closest(".short-url") && button.closest(".short-url").querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(input).then(
        function () {
          if (status) status.textContent = "リンクをコピーしました。";
        },
        function () {
          input.focus();
          input.select();
          if (status) status.textContent = "コピーできませんでした。選択されたURLを手動でコピーしてください。";
        }
      );
    });
  });

  // Selecting the whole short URL on focus makes manual copying easy too.
  document.querySelectorAll(".short-url input[readonly]").forEach(function (input) {
    input.addEventListener("focus", function () {
      input.select();
    });
  });
})();
