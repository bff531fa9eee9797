// The comment thread, enhanced. Everything here also works without this file (plain forms), except
// what only a browser can keep: delete tokens and the reader's mute list (localStorage).
//
// Safety rule: text from posters is only ever put into the page with textContent. The one
// exception is body_html, which the server escaped and linked when the comment was written.
(function () {
  "use strict";

  var section = document.getElementById("comments");
  if (!section || !window.fetch || !window.JSON) {
    return;
  }

  var api = section.getAttribute("data-api");
  var articleId = section.getAttribute("data-article");
  var sort = section.getAttribute("data-sort") || "old";
  var currentPage = parseInt(section.getAttribute("data-page"), 10) || 1;
  var pageSize = parseInt(section.getAttribute("data-page-size"), 10) || 50;
  var deleteSeconds = parseInt(section.getAttribute("data-delete-seconds"), 10) || 1800;
  var list = section.querySelector(".comment-list");
  var form = document.getElementById("comment-form");
  var REACTIONS = ["共感した", "なるほど", "うーん"];
  var TOKENS_KEY = "newsdesk.comments.tokens";
  var MUTE_KEY = "newsdesk.comments.mute";
  var DEFAULT_NAME = "名無しさん";
  var MAX_WORDS = 100;
  var cache = {}; // comments read from the API, by number

  // ---------------------------------------------------------------- helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function load(key, fallback) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key));
      return value && typeof value === "object" ? value : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      // Private mode or a full quota: the feature just does not persist.
    }
  }

  function normalise(text) {
    text = String(text || "");
    if (text.normalize) text = text.normalize("NFKC");
    return text.toLowerCase();
  }

  // The JSON API needs no CSRF token: a cross-site page cannot send it JSON without a CORS
  // preflight, which the site never answers (newsdesk/site/csrf.py).
  function request(method, url, payload, headers) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    };
    if (payload !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(payload);
    }
    Object.keys(headers || {}).forEach(function (name) {
      options.headers[name] = headers[name];
    });
    return fetch(url, options).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          return { status: response.status, ok: response.ok, data: data || {} };
        });
    });
  }

  function errorText(result) {
    if (result && result.data && typeof result.data.error === "string" && result.data.error) {
      return result.data.error;
    }
    if (result && result.status === 429) return "短時間に書き込みが続いています。しばらく待ってからもう一度お試しください。";
    return "通信に失敗しました。時間をおいてもう一度お試しください。";
  }

  var live = el("p", "visually-hidden comment-live");
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  section.insertBefore(live, section.firstChild.nextSibling);

  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = text;
    }, 30);
  }

  var jstFormat = null;
  try {
    jstFormat = new Intl.DateTimeFormat("ja-JP", {
      timeZone: "Asia/Tokyo",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
  } catch (e) {
    jstFormat = null;
  }

  function formatJst(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime()) || !jstFormat || !jstFormat.formatToParts) return "";
    var parts = {};
    jstFormat.formatToParts(date).forEach(function (part) {
      parts[part.type] = part.value;
    });
    return parts.year + "年" + parts.month + "月" + parts.day + "日 " + parts.hour + ":" + parts.minute;
  }

  function commentNumber(li) {
    return parseInt(li.getAttribute("data-no"), 10);
  }

  function commentUrl(number, suffix) {
    return api + "/" + encodeURIComponent(number) + (suffix || "");
  }

  function formUrl(number, suffix) {
    // The no-JavaScript endpoints sit beside the post form's action: /articles/<id>/comments/<no>/...
    return form.getAttribute("action") + "/" + number + suffix;
  }

  // ---------------------------------------------------------------- delete tokens

  function loadTokens() {
    var tokens = load(TOKENS_KEY, {});
    var now = Date.now();
    var changed = false;
    Object.keys(tokens).forEach(function (key) {
      var entry = tokens[key];
      if (!entry || typeof entry.token !== "string" || !(now - entry.at < deleteSeconds * 1000)) {
        delete tokens[key];
        changed = true;
      }
    });
    if (changed) save(TOKENS_KEY, tokens);
    return tokens;
  }

  function tokenKey(number) {
    return articleId + ":" + number;
  }

  function rememberToken(number, token) {
    if (typeof token !== "string" || !token) return;
    var tokens = loadTokens();
    tokens[tokenKey(number)] = { token: token, at: Date.now() };
    save(TOKENS_KEY, tokens);
  }

  function forgetToken(number) {
    var tokens = loadTokens();
    delete tokens[tokenKey(number)];
    save(TOKENS_KEY, tokens);
  }

  function tokenFor(number) {
    var entry = loadTokens()[tokenKey(number)];
    return entry ? entry.token : "";
  }

  // ---------------------------------------------------------------- mute list (NG IDs, NG words)

  function loadMute() {
    var stored = load(MUTE_KEY, {});
    function strings(value) {
      return Array.isArray(value)
        ? value.filter(function (item) {
            return typeof item === "string" && item.length > 0 && item.length <= 50;
          })
        : [];
    }
    return { ids: strings(stored.ids), words: strings(stored.words).slice(0, MAX_WORDS) };
  }

  var mute = loadMute();

  function muteReason(idTag, text) {
    if (idTag && mute.ids.indexOf(idTag) !== -1) return "NG ID";
    var haystack = normalise(text);
    for (var i = 0; i < mute.words.length; i++) {
      var word = normalise(mute.words[i]).trim();
      if (word && haystack.indexOf(word) !== -1) return "NGワード";
    }
    return "";
  }

  function commentText(root) {
    var name = root.querySelector(".comment-name");
    var body = root.querySelector(".comment-body");
    return (name ? name.textContent : "") + "\n" + (body ? body.textContent : "");
  }

  function applyMute(li) {
    var inner = li.querySelector(".comment-inner");
    if (!inner || li.querySelector(".comment-deleted")) return;
    var reason = li.classList.contains("comment-revealed") ? "" : muteReason(li.getAttribute("data-id"), commentText(li));
    var note = li.querySelector(".comment-muted");
    if (!reason) {
      inner.hidden = false;
      if (note) note.parentNode.removeChild(note);
      return;
    }
    if (!note) {
      note = el("p", "comment-muted");
      note.appendChild(el("span", "comment-muted-label", commentNumber(li) + " 非表示のコメント"));
      note.appendChild(el("span", "comment-muted-reason"));
      var show = el("button", "comment-unmute", "表示する");
      show.type = "button";
      show.addEventListener("click", function () {
        li.classList.add("comment-revealed");
        applyMute(li);
        var number = li.querySelector(".comment-number");
        if (number) number.focus();
      });
      note.appendChild(show);
      li.insertBefore(note, inner);
    }
    note.querySelector(".comment-muted-reason").textContent = "（" + reason + "）";
    inner.hidden = true;
  }

  function applyMuteAll() {
    Array.prototype.forEach.call(list.querySelectorAll(".comment"), applyMute);
  }

  function saveMute() {
    save(MUTE_KEY, mute);
    applyMuteAll();
    renderMuteSettings();
  }

  function muteId(idTag) {
    if (!idTag || mute.ids.indexOf(idTag) !== -1) return;
    mute.ids.push(idTag);
    saveMute();
    announce("ID:" + idTag + " のコメントを非表示にしました。NG設定で解除できます。");
  }

  // The settings panel: a <details> so it opens and closes with the keyboard as it is.
  var settings = el("details", "mute-settings");
  var settingsSummary = el("summary", null, "NG設定（非表示にするIDと言葉）");
  var settingsBody = el("div", "mute-body");
  var idsHeading = el("h3", "mute-heading", "非表示にしているID");
  var idsEmpty = el("p", "mute-empty", "ありません。各コメントの「このIDを非表示」で追加できます。");
  var idsList = el("ul", "mute-list mute-ids");
  var wordsHeading = el("h3", "mute-heading", "NGワード");
  var wordForm = el("form", "mute-word-form");
  var wordLabel = el("label", null, "この言葉を含むコメントを非表示");
  var wordRow = el("div", "copy-row");
  var wordInput = el("input");
  var wordAdd = el("button", null, "追加");
  var wordsEmpty = el("p", "mute-empty", "ありません。");
  var wordsList = el("ul", "mute-list mute-words");
  var settingsNote = el("p", "help", "この設定はこのブラウザにだけ保存され、他の人には影響しません。");

  wordInput.type = "text";
  wordInput.id = "mute-word-input";
  wordInput.maxLength = 50;
  wordInput.autocomplete = "off";
  wordLabel.htmlFor = wordInput.id;
  wordAdd.type = "submit";
  wordRow.appendChild(wordInput);
  wordRow.appendChild(wordAdd);
  wordForm.appendChild(wordLabel);
  wordForm.appendChild(wordRow);
  settings.appendChild(settingsSummary);
  [idsHeading, idsEmpty, idsList, wordsHeading, wordForm, wordsEmpty, wordsList, settingsNote].forEach(function (node) {
    settingsBody.appendChild(node);
  });
  settings.appendChild(settingsBody);

  function renderMuteList(ul, empty, values, label, remove) {
    ul.textContent = "";
    empty.hidden = values.length > 0;
    values.forEach(function (value) {
      var item = el("li");
      item.appendChild(el("span", "mute-value", label(value)));
      var button = el("button", "mute-remove", "解除");
      button.type = "button";
      button.setAttribute("aria-label", label(value) + " の非表示を解除");
      button.addEventListener("click", function () {
        remove(value);
        saveMute();
        announce(label(value) + " の非表示を解除しました。");
        settingsSummary.focus();
      });
      item.appendChild(button);
      ul.appendChild(item);
    });
  }

  function renderMuteSettings() {
    renderMuteList(
      idsList,
      idsEmpty,
      mute.ids,
      function (id) {
        return "ID:" + id;
      },
      function (id) {
        mute.ids = mute.ids.filter(function (other) {
          return other !== id;
        });
      }
    );
    renderMuteList(
      wordsList,
      wordsEmpty,
      mute.words,
      function (word) {
        return "「" + word + "」";
      },
      function (word) {
        mute.words = mute.words.filter(function (other) {
          return other !== word;
        });
      }
    );
  }

  wordForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var word = wordInput.value.trim();
    if (!word) return;
    if (mute.words.indexOf(word) === -1 && mute.words.length < MAX_WORDS) {
      mute.words.push(word);
      saveMute();
    }
    wordInput.value = "";
    announce("「" + word + "」を含むコメントを非表示にしました。");
  });

  var sortNav = section.querySelector(".comment-sort");
  section.insertBefore(settings, sortNav ? sortNav.nextSibling : list);

  window.addEventListener("storage", function (event) {
    if (event.key === MUTE_KEY) {
      mute = loadMute();
      applyMuteAll();
      renderMuteSettings();
    }
  });

  // ---------------------------------------------------------------- building a comment

  function hiddenInput(name, value) {
    var input = el("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  }

  function smallForm(className, action) {
    var small = el("form", className);
    small.method = "post";
    small.action = action;
    small.appendChild(hiddenInput("sort", sort));
    small.appendChild(hiddenInput("page", String(currentPage)));
    return small;
  }

  // The same markup as comments/comment.html, from the JSON API's comment object.
  function buildComment(comment) {
    var number = parseInt(comment.no, 10);
    var li = el("li", "comment");
    li.id = "c" + number;
    li.setAttribute("data-no", String(number));
    if (comment.id_tag) li.setAttribute("data-id", String(comment.id_tag));
    var inner = el("div", "comment-inner");
    var meta = el("p", "comment-meta");
    var link = el("a", "comment-number", number);
    link.href = "#c" + number;
    link.setAttribute("aria-label", number + "番");
    meta.appendChild(link);
    var name = el("span", "comment-name", comment.name || DEFAULT_NAME);
    if (comment.trip) name.appendChild(el("span", "comment-trip", "◆" + String(comment.trip).replace(/^◆/, "")));
    meta.appendChild(name);
    if (comment.created_at) {
      var time = el("time", null, formatJst(comment.created_at));
      time.setAttribute("datetime", String(comment.created_at));
      meta.appendChild(time);
    }
    if (comment.id_tag) meta.appendChild(el("span", "comment-id", "ID:" + comment.id_tag));
    inner.appendChild(meta);
    var body = el("div", "comment-body");
    if (typeof comment.body_html === "string") {
      body.innerHTML = comment.body_html; // escaped by the server when the comment was written
    } else {
      body.textContent = comment.body || "";
    }
    inner.appendChild(body);

    var actions = el("div", "comment-actions");
    var reactionForm = smallForm("reaction-form", formUrl(number, "/reactions"));
    var counts = comment.reactions || {};
    REACTIONS.forEach(function (label) {
      var button = el("button", "reaction", label + " ");
      button.type = "submit";
      button.name = "reaction";
      button.value = label;
      button.setAttribute("data-reaction", label);
      button.appendChild(el("span", "reaction-count", counts[label] || 0));
      reactionForm.appendChild(button);
    });
    actions.appendChild(reactionForm);
    var tools = el("div", "comment-tools");
    var reportForm = smallForm("report-form", formUrl(number, "/report"));
    var reportButton = el("button", "report", "通報");
    reportButton.type = "submit";
    reportForm.appendChild(reportButton);
    tools.appendChild(reportForm);
    actions.appendChild(tools);
    inner.appendChild(actions);
    var status = el("p", "comment-status");
    status.setAttribute("role", "status");
    inner.appendChild(status);
    li.appendChild(inner);
    return li;
  }

  function markDeleted(li) {
    var inner = li.querySelector(".comment-inner");
    var number = commentNumber(li);
    inner.textContent = "";
    var meta = el("p", "comment-meta");
    var link = el("a", "comment-number", number);
    link.href = "#c" + number;
    meta.appendChild(link);
    meta.appendChild(el("span", "comment-deleted", "このコメントは削除されました"));
    inner.appendChild(meta);
    inner.hidden = false;
    var note = li.querySelector(".comment-muted");
    if (note) note.parentNode.removeChild(note);
  }

  function setStatus(li, text, isError) {
    var status = li.querySelector(".comment-status");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("comment-status-error", !!isError);
  }

  // Buttons that only make sense with JavaScript: mute this ID, delete my own post.
  function enhance(li) {
    if (li.getAttribute("data-enhanced")) return;
    li.setAttribute("data-enhanced", "1");
    var actions = li.querySelector(".comment-tools");
    var idTag = li.getAttribute("data-id");
    if (actions && idTag) {
      var muteButton = el("button", "mute-id", "このIDを非表示");
      muteButton.type = "button";
      muteButton.setAttribute("aria-label", "ID:" + idTag + " のコメントを非表示");
      muteButton.addEventListener("click", function () {
        muteId(idTag);
        var note = li.querySelector(".comment-unmute");
        if (note) note.focus();
      });
      actions.insertBefore(muteButton, actions.firstChild);
    }
    var number = commentNumber(li);
    if (actions && tokenFor(number)) {
      var deleteButton = el("button", "delete-own", "削除");
      deleteButton.type = "button";
      var armed = null;
      deleteButton.addEventListener("click", function () {
        if (!armed) {
          deleteButton.textContent = "本当に削除する";
          setStatus(li, "もう一度押すと、このコメントを削除します。");
          armed = window.setTimeout(function () {
            armed = null;
            deleteButton.textContent = "削除";
            setStatus(li, "");
          }, 6000);
          return;
        }
        window.clearTimeout(armed);
        armed = null;
        deleteButton.disabled = true;
        request("DELETE", commentUrl(number), {}, { "X-Delete-Token": tokenFor(number) })
          .then(function (result) {
            if (result.ok) {
              forgetToken(number);
              markDeleted(li);
              announce(number + "番のコメントを削除しました。");
              var link = li.querySelector(".comment-number");
              if (link) link.focus();
              return;
            }
            if (result.status === 403 || result.status === 404 || result.status === 410) forgetToken(number);
            deleteButton.disabled = false;
            deleteButton.textContent = "削除";
            setStatus(li, errorText(result), true);
          })
          .catch(function () {
            deleteButton.disabled = false;
            deleteButton.textContent = "削除";
            setStatus(li, errorText(null), true);
          });
      });
      actions.insertBefore(deleteButton, actions.firstChild);
    }
    applyMute(li);
  }

  // ---------------------------------------------------------------- reactions and reports

  section.addEventListener("submit", function (event) {
    var target = event.target;
    var li = target.closest && target.closest(".comment");
    if (!li || !list.contains(li)) return;
    var number = commentNumber(li);
    if (target.classList.contains("reaction-form")) {
      var button = event.submitter;
      var label = button && button.getAttribute("data-reaction");
      if (!label) return; // an old browser: let the plain form post
      event.preventDefault();
      button.disabled = true;
      request("POST", commentUrl(number, "/reactions"), { reaction: label })
        .then(function (result) {
          button.disabled = false;
          if (!result.ok) {
            setStatus(li, errorText(result), true);
            return;
          }
          var counts = result.data.reactions || result.data;
          Array.prototype.forEach.call(target.querySelectorAll("[data-reaction]"), function (other) {
            var count = counts[other.getAttribute("data-reaction")];
            if (typeof count === "number") other.querySelector(".reaction-count").textContent = String(count);
          });
          button.setAttribute("aria-pressed", "true");
          setStatus(li, "「" + label + "」を送りました。");
        })
        .catch(function () {
          button.disabled = false;
          setStatus(li, errorText(null), true);
        });
    } else if (target.classList.contains("report-form")) {
      event.preventDefault();
      var reportButton = target.querySelector("button");
      reportButton.disabled = true;
      request("POST", commentUrl(number, "/report"), {})
        .then(function (result) {
          if (!result.ok) {
            reportButton.disabled = false;
            setStatus(li, errorText(result), true);
            return;
          }
          reportButton.textContent = "通報済み";
          setStatus(li, "通報しました。ご協力ありがとうございます。");
        })
        .catch(function () {
          reportButton.disabled = false;
          setStatus(li, errorText(null), true);
        });
    }
  });

  // ---------------------------------------------------------------- posting without a reload

  var countNumber = section.querySelector(".comment-count-number");

  function addToCount(delta) {
    if (!countNumber) return;
    var count = (parseInt(countNumber.textContent, 10) || 0) + delta;
    countNumber.textContent = String(count);
    var empty = section.querySelector(".comment-empty");
    if (empty && count > 0) empty.hidden = true;
  }

  function insertComment(li) {
    if (document.getElementById(li.id)) return document.getElementById(li.id);
    if (sort === "new") {
      list.insertBefore(li, list.firstChild);
    } else {
      list.appendChild(li);
    }
    enhance(li);
    addToCount(1);
    li.classList.add("comment-new");
    return li;
  }

  function fetchPage(pageNumber, order) {
    return request("GET", api + "?sort=" + encodeURIComponent(order) + "&page=" + pageNumber).then(function (result) {
      if (!result.ok || !Array.isArray(result.data.comments)) return null;
      result.data.comments.forEach(function (comment) {
        cache[comment.no] = comment;
      });
      return result.data;
    });
  }

  function postedFallback(number, idTag, name, body) {
    // The thread could not be read back: show the post from what was typed, as text only.
    var comment = { no: number, id_tag: idTag, name: name.split(/[#＃]/)[0].trim(), created_at: new Date().toISOString() };
    comment.body = body;
    var li = buildComment(comment);
    li.querySelector(".comment-body").classList.add("comment-body-plain");
    return li;
  }

  if (form) {
    var formErrors = form.querySelector(".form-errors");
    var formStatus = form.querySelector(".form-status");
    var submit = form.querySelector("button[type=submit]");
    var busy = false;

    var showFormError = function (text) {
      formErrors.textContent = "";
      formErrors.appendChild(el("p", null, text));
      formErrors.hidden = false;
      formStatus.textContent = "";
    };

    form.addEventListener("submit", function (event) {
      var nameField = form.elements.namedItem("name");
      var bodyField = form.elements.namedItem("body");
      if (!nameField || !bodyField) return;
      event.preventDefault();
      if (busy) return;
      var name = nameField.value;
      var body = bodyField.value;
      if (!body.trim()) {
        showFormError("本文を入力してください。");
        bodyField.focus();
        return;
      }
      busy = true;
      submit.disabled = true;
      formErrors.hidden = true;
      formStatus.textContent = "送信しています…";
      request("POST", api, { name: name, body: body })
        .then(function (result) {
          var data = result.data;
          if (result.status === 201 && data.no) {
            rememberToken(data.no, data.delete_token);
            bodyField.value = "";
            return fetchPage(1, "new")
              .catch(function () {
                return null;
              })
              .then(function () {
                var comment = cache[data.no];
                var li = insertComment(comment ? buildComment(comment) : postedFallback(data.no, data.id_tag, name, body));
                formStatus.textContent = data.no + "番に書き込みました。";
                li.scrollIntoView({ block: "nearest" });
              });
          }
          if (result.status === 202) {
            if (data.no) rememberToken(data.no, data.delete_token);
            bodyField.value = "";
            formStatus.textContent = "コメントを受け付けました。コメントは確認後に表示されます。";
            return null;
          }
          showFormError(errorText(result));
          return null;
        })
        .catch(function () {
          showFormError(errorText(null));
        })
        .then(function () {
          busy = false;
          submit.disabled = false;
        });
    });
  }

  // ---------------------------------------------------------------- >>N popups

  var popups = []; // the open popups, outermost first: {link, node}
  var closeTimer = null;
  var popupCount = 0;

  function findComment(number) {
    // Visible posts are numbered with gaps, so post N is on page ceil(N / size) or an earlier one.
    var guess = Math.max(1, Math.ceil(number / pageSize));
    var tries = 0;
    function look(pageNumber) {
      if (cache[number]) return Promise.resolve(cache[number]);
      if (pageNumber < 1 || tries++ > 6) return Promise.resolve(null);
      return fetchPage(pageNumber, "old").then(function (data) {
        if (cache[number]) return cache[number];
        if (!data || !data.comments.length) return pageNumber > 1 ? look(pageNumber - 1) : null;
        var first = data.comments[0].no;
        var last = data.comments[data.comments.length - 1].no;
        if (number < first) return look(pageNumber - 1);
        if (number > last && pageNumber < (data.pages || 0)) return look(pageNumber + 1);
        return null; // hidden, deleted or never posted
      });
    }
    return look(guess);
  }

  function popupContent(number) {
    var local = document.getElementById("c" + number);
    if (local && list.contains(local)) {
      var clone = local.cloneNode(true);
      clone.removeAttribute("id");
      Array.prototype.forEach.call(clone.querySelectorAll("[id]"), function (node) {
        node.removeAttribute("id");
      });
      return Promise.resolve(clone);
    }
    return findComment(number)
      .catch(function () {
        return null;
      })
      .then(function (comment) {
        return comment ? buildComment(comment) : null;
      });
  }

  function preparePopupBody(item, number) {
    var holder = el("div", "comment-popup-body");
    if (!item) {
      holder.appendChild(el("p", "comment-popup-missing", ">>" + number + " のコメントは表示できません。"));
      return holder;
    }
    ["comment-actions", "comment-status", "comment-muted"].forEach(function (name) {
      Array.prototype.forEach.call(item.querySelectorAll("." + name), function (node) {
        node.parentNode.removeChild(node);
      });
    });
    var inner = item.querySelector(".comment-inner") || item;
    var reason = item.querySelector(".comment-deleted") ? "" : muteReason(item.getAttribute("data-id"), commentText(item));
    if (reason) {
      holder.appendChild(el("p", "comment-muted", number + " 非表示のコメント（" + reason + "）"));
      return holder;
    }
    inner.hidden = false;
    inner.classList.add("comment");
    holder.appendChild(inner);
    return holder;
  }

  function levelOf(link) {
    for (var i = 0; i < popups.length; i++) {
      if (popups[i].node.contains(link)) return i + 1;
    }
    return 0;
  }

  function closePopups(fromLevel) {
    while (popups.length > fromLevel) {
      var popup = popups.pop();
      popup.link.removeAttribute("aria-describedby");
      popup.link.removeAttribute("aria-expanded");
      if (popup.node.parentNode) popup.node.parentNode.removeChild(popup.node);
    }
  }

  function placePopup(node, link) {
    var rect = link.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    node.style.left = "0px";
    node.style.top = "0px";
    var popupWidth = node.offsetWidth;
    var left = Math.min(Math.max(8, rect.left), Math.max(8, width - popupWidth - 8));
    node.style.left = left + window.pageXOffset + "px";
    node.style.top = rect.bottom + window.pageYOffset + 4 + "px";
  }

  function openPopup(link) {
    var number = parseInt(link.getAttribute("data-no") || (link.getAttribute("href") || "").replace(/^#c/, ""), 10);
    if (!number) return;
    var level = levelOf(link);
    if (popups[level] && popups[level].link === link) return;
    closePopups(level);
    var node = el("div", "comment-popup");
    node.id = "comment-popup-" + ++popupCount;
    node.setAttribute("role", "tooltip");
    node.appendChild(el("p", "comment-popup-loading", "読み込み中…"));
    document.body.appendChild(node);
    popups.push({ link: link, node: node });
    link.setAttribute("aria-describedby", node.id);
    link.setAttribute("aria-expanded", "true");
    placePopup(node, link);
    popupContent(number).then(function (item) {
      if (!node.parentNode) return;
      node.textContent = "";
      node.appendChild(preparePopupBody(item, number));
      placePopup(node, link);
    });
  }

  function isAnchor(node) {
    return node && node.closest && node.closest("a.anchor");
  }

  function cancelClose() {
    if (closeTimer) window.clearTimeout(closeTimer);
    closeTimer = null;
  }

  function scheduleClose() {
    cancelClose();
    closeTimer = window.setTimeout(function () {
      closeTimer = null;
      var active = document.activeElement;
      var hovered = document.querySelectorAll(".comment-popup:hover, a.anchor:hover");
      var keep = 0;
      for (var i = 0; i < popups.length; i++) {
        var popup = popups[i];
        var inside =
          popup.node.contains(active) ||
          popup.link === active ||
          Array.prototype.some.call(hovered, function (node) {
            return node === popup.node || node === popup.link || popup.node.contains(node);
          });
        if (inside) keep = i + 1;
      }
      closePopups(keep);
    }, 350);
  }

  document.addEventListener("pointerover", function (event) {
    var link = isAnchor(event.target);
    if (link && event.pointerType === "mouse") {
      cancelClose();
      openPopup(link);
    } else if (event.target.closest && event.target.closest(".comment-popup")) {
      cancelClose();
    }
  });

  document.addEventListener("pointerout", function (event) {
    if (event.pointerType !== "mouse") return;
    if (isAnchor(event.target) || (event.target.closest && event.target.closest(".comment-popup"))) scheduleClose();
  });

  // A tap or click focuses the link too; only keyboard focus opens the popup by itself.
  var lastPointerDown = 0;
  document.addEventListener(
    "pointerdown",
    function () {
      lastPointerDown = Date.now();
    },
    true
  );

  document.addEventListener("focusin", function (event) {
    var link = isAnchor(event.target);
    if (link && Date.now() - lastPointerDown < 800) return;
    if (link) {
      cancelClose();
      openPopup(link);
    } else if (popups.length) {
      scheduleClose();
    }
  });

  document.addEventListener("click", function (event) {
    var link = isAnchor(event.target);
    if (link) {
      var level = levelOf(link);
      var open = popups[level] && popups[level].link === link;
      var number = link.getAttribute("data-no");
      var here = document.getElementById("c" + number);
      if (open && here && list.contains(here)) {
        closePopups(0); // a second click (or a click after hovering) goes to the post
        return;
      }
      event.preventDefault();
      if (open) {
        closePopups(level);
      } else {
        openPopup(link);
      }
      return;
    }
    if (popups.length && !(event.target.closest && event.target.closest(".comment-popup"))) closePopups(0);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && popups.length) {
      var link = popups[popups.length - 1].link;
      closePopups(popups.length - 1);
      link.focus();
    }
  });

  // ---------------------------------------------------------------- start

  renderMuteSettings();
  Array.prototype.forEach.call(list.querySelectorAll(".comment"), enhance);
})();
