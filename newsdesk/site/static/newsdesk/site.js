// Progressive enhancement only: every page reads and works without this file.
(function () {
  "use strict";

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
