/* Live boards: the phone page and the room screen.
   The pages work without this script (forms post and come back). With it, answers and votes arrive without
   reloading through server-sent events, or by polling with ETags where a stream cannot stay open; answers and
   votes are sent with fetch, each answer with its own idempotency key so that a retry never makes a second one.
   Answer texts are always put into the page as text (textContent), never as HTML. */
(function () {
  "use strict";
  var configNode = document.getElementById("live-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var texts = config.texts || {};
  var answers = new Map();
  var voted = new Set(config.voted || []);
  var mine = new Set(config.mine || []);
  var list = document.querySelector("[data-live-list]");
  var announce = document.querySelector("[data-live-announce]");
  var isScreen = config.page === "screen";

  var format = Live.format, el = Live.el;

  // --- Rendering ---------------------------------------------------------------------------------------------
  function metaText(answer) {
    var role = answer.role ? (config.roles[answer.role] || "") : "";
    return [role, answer.municipality].filter(Boolean).join(", ");
  }

  function renderAnswer(answer) {
    var item = el("li", "live-answer" + (answer.priority ? " live-answer--priority" : ""));
    item.id = "antwoord-" + answer.id;
    item.dataset.answer = answer.id;
    item.appendChild(el("p", "live-answer__text", answer.text));
    var meta = el("p", "live-answer__meta");
    if (answer.priority) { meta.appendChild(el("strong", "live-badge", texts.priority)); meta.appendChild(document.createTextNode(" ")); }
    if (answer.merged) {
      meta.appendChild(el("span", "live-badge live-badge--plain",
        answer.merged === 1 ? texts.merged_one : format(texts.merged_many, {count: answer.merged})));
      meta.appendChild(document.createTextNode(" "));
    }
    meta.appendChild(el("span", "", metaText(answer)));
    if (mine.has(answer.id)) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(el("span", "live-badge live-badge--plain", texts.yours)); }
    item.appendChild(meta);
    if (isScreen && config.showVotes === false) {
      // The children's board: no counts on its screen.
    } else if (isScreen) {
      var votes = el("p", "live-answer__votes");
      votes.appendChild(el("span", "", String(answer.votes)));
      votes.appendChild(document.createTextNode(" "));
      votes.appendChild(el("span", "live-answer__votes-label", answer.votes === 1 ? texts.vote_word_one : texts.votes));
      item.appendChild(votes);
    } else {
      var button = el("button", "live-vote__button");
      button.type = "button";
      button.dataset.vote = answer.id;
      button.setAttribute("aria-pressed", voted.has(answer.id) ? "true" : "false");
      button.appendChild(el("span", "", "▲")).setAttribute("aria-hidden", "true");
      button.appendChild(document.createTextNode(" "));
      button.appendChild(el("span", "visually-hidden", texts.agree + ":"));
      button.appendChild(document.createTextNode(" "));
      button.appendChild(el("span", "", String(answer.votes)));
      button.appendChild(document.createTextNode(" "));
      button.appendChild(el("span", "visually-hidden", answer.votes === 1 ? texts.vote_word_one : texts.votes));
      var form = el("div", "live-vote");
      form.appendChild(button);
      item.appendChild(form);
    }
    return item;
  }

  function ranked() {
    return Array.from(answers.values()).sort(function (a, b) {
      return (b.votes - a.votes) || ((b.priority ? 1 : 0) - (a.priority ? 1 : 0)) || (a.id - b.id);
    });
  }

  function render() {
    if (!list) return;
    var focusedVote = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.vote : null;
    var fragment = document.createDocumentFragment();
    ranked().forEach(function (answer) { fragment.appendChild(renderAnswer(answer)); });
    list.replaceChildren(fragment);
    if (focusedVote) {
      var again = list.querySelector('[data-vote="' + focusedVote + '"]');
      if (again) again.focus();
    }
    var count = document.querySelector("[data-live-count]");
    if (count) count.textContent = String(answers.size);
    var empty = document.querySelector("[data-live-empty]");
    if (empty) empty.hidden = answers.size > 0;
    if (isScreen && window.LiveScreen) window.LiveScreen.update(ranked());
  }

  function setBoard(board) {
    if (board.code && board.code !== config.code) {
      // The host gave the board a new code: the screen shows the new one; a phone joins again with it.
      window.location.assign(isScreen ? window.location.pathname.replace(config.code, board.code) : "/doe-mee/");
      return;
    }
    var closed = document.querySelector("[data-live-closed]");
    if (closed) closed.hidden = board.open;
    var submit = document.querySelector("[data-live-submit]");
    if (submit) submit.disabled = !board.open;
  }

  function onSnapshot(data) {
    answers = new Map();
    data.answers.forEach(function (answer) { answers.set(answer.id, answer); });
    if (data.board) setBoard(data.board);
    render();
  }

  function onUpdate(data) {
    var fresh = [];
    data.answers.forEach(function (answer) {
      if (!answers.has(answer.id)) fresh.push(answer);
      answers.set(answer.id, answer);
    });
    data.removed.forEach(function (id) { answers.delete(id); });
    if (data.board) setBoard(data.board);
    render();
    if (announce && fresh.length && !isScreen) {
      announce.textContent = format(texts.new_answer, {text: fresh[fresh.length - 1].text});
    }
  }

  // Start from what the server rendered, then follow the feed.
  if (list) {
    list.querySelectorAll("[data-answer]").forEach(function (item) { item.dataset.serverRendered = "1"; });
  }
  window.LiveFeed({stream: config.stream, poll: config.poll, onSnapshot: onSnapshot, onUpdate: onUpdate});

  if (isScreen) return;

  // --- Voting ------------------------------------------------------------------------------------------------
  var pendingVotes = new Set();
  function api(method, path, body) { return Live.request(method, path, config.csrf, body); }

  if (list) {
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-vote]");
      if (!button) return;
      event.preventDefault();
      var id = Number(button.dataset.vote);
      if (pendingVotes.has(id)) return;  // a second press while the first is on its way
      var add = !voted.has(id);
      // Not `disabled`: a disabled button loses the keyboard focus, which would fall back to the page's start.
      pendingVotes.add(id);
      button.setAttribute("aria-busy", "true");
      api(add ? "POST" : "DELETE", config.api + "/" + id + "/vote").then(function (response) {
        return response.json().then(function (data) { return {ok: response.ok, data: data}; });
      }).then(function (result) {
        if (!result.ok) throw new Error(Live.problemMessage(result.data, ""));
        if (result.data.voted) voted.add(result.data.answer); else voted.delete(result.data.answer);
        var answer = answers.get(result.data.answer);
        if (answer) answer.votes = result.data.votes;
        render();  // keeps the focus on this answer's button, wherever the answer moved
        var again = list.querySelector('[data-vote="' + result.data.answer + '"]');
        if (again && document.activeElement !== again && (document.activeElement === document.body || !document.activeElement)) again.focus();
        if (announce) {
          announce.textContent = format(result.data.voted ? texts.vote_counted : texts.vote_taken_back,
            {votes: format(result.data.votes === 1 ? texts.votes_one : texts.votes_many, {count: result.data.votes})});
        }
      }).catch(function (failure) {
        if (announce) announce.textContent = failure.message || texts.vote_failed;
      }).finally(function () {
        pendingVotes.delete(id);
        var current = list.querySelector('[data-vote="' + id + '"]');
        if (current) current.removeAttribute("aria-busy");
      });
    });
  }

  // --- Answering: fetch with a key per answer; a retry after a lost connection sends the same key --------------
  var form = document.querySelector("[data-live-answer-form]");
  if (!form) return;
  var error = form.querySelector("[data-live-error]");
  var textarea = form.querySelector("textarea[name=text]");
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }
  var keyField = form.querySelector("[name=idempotency_key]");
  function showError(message, field) {
    error.replaceChildren(el("li", "", message));
    error.hidden = !message;
    var target = (field && form.querySelector("[name=" + field + "]")) || textarea;
    form.querySelectorAll("[aria-invalid]").forEach(function (input) { input.setAttribute("aria-invalid", "false"); });
    if (message) target.setAttribute("aria-invalid", "true");
    return target;
  }
  function send(payload, attempt) {
    return api("POST", config.api, payload).then(function (response) {
      return response.json().then(function (data) { return {status: response.status, data: data}; });
    }).catch(function () {
      if (attempt >= 4) throw new Error(texts.failed);
      showError(texts.retrying);
      return new Promise(function (resolve) { setTimeout(resolve, 500 * Math.pow(2, attempt)); })
        .then(function () { return send(payload, attempt + 1); });
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var submit = form.querySelector("[data-live-submit]");
    var role = form.querySelector("[name=role]");
    var municipality = form.querySelector("[name=municipality]");
    var payload = {text: textarea.value, idempotency_key: keyField.value};
    if (role && role.value) payload.role = role.value;
    if (municipality && municipality.value.trim()) payload.municipality = municipality.value.trim();
    submit.disabled = true;
    send(payload, 0).then(function (result) {
      if (result.status === 200 || result.status === 201) {
        mine.add(result.data.id);
        showError("");
        textarea.value = "";
        keyField.value = newKey();
        if (announce) announce.textContent = texts.sent;
        textarea.focus();
      } else {
        showError(Live.problemMessage(result.data, texts.failed), Live.problemField(result.data)).focus();
      }
    }).catch(function (failure) {
      showError(failure.message || texts.failed);
    }).finally(function () { submit.disabled = false; });
  });
})();
