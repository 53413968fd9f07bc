/* The host's console: every answer of the board live, with merge, priority, moderation and tags.
   Actions call the host API (/api/live/CODE/host/...) with the session and its CSRF token; the console then
   follows the host stream like everyone else, so two hosts see each other's work. Texts go in as textContent. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("live-config").textContent);
  var texts = config.texts;
  var list = document.querySelector("[data-console-list]");
  var message = document.querySelector("[data-console-message]");
  var announce = document.querySelector("[data-console-announce]");
  var mergeBar = document.querySelector("[data-console-merge]");
  var answers = new Map();
  var selected = new Set();
  var openTags = new Set();
  var editing = new Map();  // answer id -> the text being written (kept while the list is drawn again)

  var format = Live.format, el = Live.el;
  function button(label, action, id, extra) {
    var node = el("button", "button button--secondary live-console__action", label);
    node.type = "button";
    node.dataset.action = action;
    node.dataset.id = id;
    if (extra) Object.keys(extra).forEach(function (key) { node.dataset[key] = extra[key]; });
    return node;
  }
  function showMessage(text) {
    message.textContent = text || "";
    message.hidden = !text;
  }

  function api(method, path, body) {
    return Live.request(method, config.hostApi + path, config.csrf, body).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var detail = typeof data.detail === "string" ? data.detail : response.status + " " + response.statusText;
          throw new Error(detail);
        }
        return data;
      });
    }).then(function (data) { showMessage(""); return data; })
      .catch(function (error) { showMessage(format(texts.error, {detail: error.message})); throw error; });
  }

  function numbers(text) {
    return text.split(/[\s,;]+/).map(function (part) { return part.trim(); }).filter(Boolean);
  }

  function tagEditor(answer) {
    var details = el("details", "live-console__tags");
    details.dataset.tags = answer.id;
    if (openTags.has(answer.id)) details.open = true;
    details.addEventListener("toggle", function () { if (details.open) openTags.add(answer.id); else openTags.delete(answer.id); });
    var summary = el("summary", "", texts.tags);
    var chosen = [];
    answer.policy_areas.forEach(function (key) { chosen.push(config.areas[key] || key); });
    if (answer.crc_articles.length) chosen.push(texts.crc_short + " " + answer.crc_articles.join(", "));
    if (answer.sdgs.length) chosen.push("SDG " + answer.sdgs.join(", "));
    if (answer.indicators.length) chosen.push(answer.indicators.join(", "));
    if (chosen.length) summary.appendChild(el("span", "muted", " (" + chosen.join(" · ") + ")"));
    details.appendChild(summary);
    var fieldset = el("fieldset", "live-console__areas");
    fieldset.appendChild(el("legend", "", texts.areas_label));
    Object.keys(config.areas).forEach(function (key) {
      var label = el("label", "live-console__area");
      var box = el("input");
      box.type = "checkbox";
      box.name = "area";
      box.value = key;
      box.checked = answer.policy_areas.indexOf(key) >= 0;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + config.areas[key]));
      fieldset.appendChild(label);
    });
    details.appendChild(fieldset);
    [["crc", "crc-articles", answer.crc_articles], ["sdg", "sdg-goals", answer.sdgs],
     ["indicator", "sdg-indicators", answer.indicators]].forEach(function (spec) {
      var id = "tag-" + spec[0] + "-" + answer.id;
      var label = el("label", "", texts[spec[0] + "_label"]);
      label.htmlFor = id;
      var input = el("input");
      input.type = "text";
      input.id = id;
      input.name = spec[0];
      input.setAttribute("list", spec[1]);
      input.value = spec[2].join(", ");
      var field = el("div", "field");
      field.appendChild(label);
      field.appendChild(input);
      details.appendChild(field);
    });
    if (answer.suggested_tags) {
      var hint = [];
      answer.suggested_tags.policy_areas.forEach(function (key) { hint.push(config.areas[key] || key); });
      if (answer.suggested_tags.crc_articles.length) hint.push(texts.crc_short + " " + answer.suggested_tags.crc_articles.join(", "));
      if (answer.suggested_tags.sdgs.length) hint.push("SDG " + answer.suggested_tags.sdgs.join(", "));
      if (hint.length) {
        var suggestion = el("p", "muted", (texts.suggested || "") + " " + hint.join(" · ") + " ");
        suggestion.appendChild(button(texts.use_suggested, "use-suggested", answer.id));
        details.appendChild(suggestion);
      }
    }
    details.appendChild(button(texts.save_tags, "save-tags", answer.id));
    return details;
  }

  function textEditor(answer) {
    var box = el("div", "field live-console__edit");
    var label = el("label", "", texts.edit_label);
    label.htmlFor = "edit-" + answer.id;
    var area = el("textarea");
    area.id = "edit-" + answer.id;
    area.name = "edit-text";
    area.rows = 3;
    area.maxLength = 280;
    area.value = editing.get(answer.id);
    area.addEventListener("input", function () { editing.set(answer.id, area.value); });
    box.appendChild(label);
    box.appendChild(area);
    var row = el("div", "live-console__actions");
    row.appendChild(button(texts.save_text, "save-text", answer.id));
    row.appendChild(button(texts.cancel, "cancel-edit", answer.id));
    box.appendChild(row);
    return box;
  }

  function renderAnswer(answer) {
    var item = el("li", "live-console__answer live-console__answer--" + answer.status + (answer.priority ? " live-answer--priority" : ""));
    item.id = "console-" + answer.id;
    item.dataset.answer = answer.id;
    var head = el("div", "live-console__head");
    if (!answer.merged_into) {
      var check = el("input");
      check.type = "checkbox";
      check.id = "select-" + answer.id;
      check.dataset.select = answer.id;
      check.checked = selected.has(answer.id);
      var checkLabel = el("label", "visually-hidden", texts.select + ": " + answer.text);
      checkLabel.htmlFor = check.id;
      head.appendChild(check);
      head.appendChild(checkLabel);
    }
    var body = el("div", "live-console__body");
    if (editing.has(answer.id)) body.appendChild(textEditor(answer));
    else body.appendChild(el("p", "live-answer__text", answer.text));
    var meta = [format(answer.votes === 1 ? texts.votes_one : texts.votes_many, {count: answer.votes}), config.statuses[answer.status] || answer.status];
    var role = answer.role ? config.roles[answer.role] : "";
    if (role || answer.municipality) meta.push([role, answer.municipality].filter(Boolean).join(", "));
    if (answer.children) meta.push(texts.children);
    if (answer.is_merge) meta.push(format(texts.merged_from, {count: answer.originals.length}));
    if (answer.merged_into) meta.push(format(texts.merged_into, {id: answer.merged_into}));
    if (answer.edits && answer.edits.length) {
      var edit = answer.edits[answer.edits.length - 1];
      var time = new Date(edit.at).toLocaleTimeString(document.documentElement.lang, {hour: "2-digit", minute: "2-digit"});
      meta.push(edit.by ? format(texts.edited_by, {name: edit.by, time: time}) : format(texts.edited, {time: time}));
    }
    var metaNode = el("p", "live-answer__meta");
    if (answer.priority) { metaNode.appendChild(el("strong", "live-badge", texts.priority)); metaNode.appendChild(document.createTextNode(" ")); }
    metaNode.appendChild(document.createTextNode(meta.join(" · ")));
    body.appendChild(metaNode);
    var actions = el("div", "live-console__actions");
    if (!answer.merged_into) {
      actions.appendChild(button(answer.priority ? texts.unmark_priority : texts.mark_priority, "priority", answer.id));
      if (!editing.has(answer.id)) actions.appendChild(button(texts.edit, "edit", answer.id));
      if (answer.status === "pending") actions.appendChild(button(texts.approve, "status", answer.id, {status: "visible"}));
      if (answer.status !== "hidden") actions.appendChild(button(texts.hide, "status", answer.id, {status: "hidden"}));
      else actions.appendChild(button(texts.show, "status", answer.id, {status: "visible"}));
      if (answer.is_merge) actions.appendChild(button(texts.unmerge, "unmerge", answer.id));
    }
    body.appendChild(actions);
    if (!answer.merged_into) body.appendChild(tagEditor(answer));
    var shownSuggestions = new Set();
    answer.suggestions.forEach(function (suggestion) {
      // Not about an answer merged meanwhile (its row may not have come back yet), and each other answer once.
      var other = answers.get(suggestion.other);
      if (!other || other.merged_into || other.status === "hidden" || shownSuggestions.has(suggestion.other)) return;
      shownSuggestions.add(suggestion.other);
      var box = el("div", "live-console__suggestion");
      var how = suggestion.method === "meaning" ? texts.by_meaning : texts.by_text;
      box.appendChild(el("p", "", format(texts.suggestion, {text: suggestion.other_text}) + " (" + how + ")"));
      box.appendChild(button(texts.accept, "accept", answer.id, {suggestion: suggestion.id}));
      box.appendChild(document.createTextNode(" "));
      box.appendChild(button(texts.dismiss, "dismiss", answer.id, {suggestion: suggestion.id}));
      body.appendChild(box);
    });
    if (answer.is_merge && answer.originals.length) {
      var originals = el("ul", "live-console__originals");
      answer.originals.forEach(function (id) {
        var original = answers.get(id);
        if (original) originals.appendChild(el("li", "", original.text));
      });
      body.appendChild(originals);
    }
    head.appendChild(body);
    item.appendChild(head);
    return item;
  }

  function order() {
    return Array.from(answers.values()).filter(function (answer) { return !answer.merged_into; }).sort(function (a, b) {
      return ((a.status === "pending" ? 0 : 1) - (b.status === "pending" ? 0 : 1)) || (b.votes - a.votes)
        || ((b.priority ? 1 : 0) - (a.priority ? 1 : 0)) || (a.id - b.id);
    });
  }

  function render() {
    var active = document.activeElement;
    var focusKey = null;
    if (active && list.contains(active)) {
      var owner = active.closest("[data-answer]");
      focusKey = [owner && owner.dataset.answer, active.dataset.action || active.name || active.dataset.select, active.dataset.suggestion || ""];
    }
    var fragment = document.createDocumentFragment();
    order().forEach(function (answer) { fragment.appendChild(renderAnswer(answer)); });
    list.replaceChildren(fragment);
    document.querySelector("[data-console-count]").textContent = String(order().length);
    if (focusKey && focusKey[0]) {
      var item = document.getElementById("console-" + focusKey[0]);
      var again = item && Array.from(item.querySelectorAll("button, input")).find(function (node) {
        return (node.dataset.action || node.name || node.dataset.select) === focusKey[1] && (node.dataset.suggestion || "") === focusKey[2];
      });
      if (again) again.focus(); else if (item) { item.tabIndex = -1; item.focus(); }
    }
    mergeBar.hidden = selected.size < 2;
  }

  function setBoard(board) {
    document.querySelector("[data-console-state]").textContent = board.open ? texts.is_open : texts.is_closed;
    document.querySelector("[data-console-open-value]").value = board.open ? "0" : "1";
    document.querySelector("[data-console-open-button]").textContent = board.open ? texts.close : texts.open;
  }

  function onSnapshot(data) {
    answers = new Map();
    data.answers.forEach(function (answer) { answers.set(answer.id, answer); });
    if (data.board) setBoard(data.board);
    render();
  }
  function onUpdate(data) {
    var fresh = 0;
    data.answers.forEach(function (answer) { if (!answers.has(answer.id)) fresh += 1; answers.set(answer.id, answer); });
    data.removed.forEach(function (id) { answers.delete(id); selected.delete(id); });
    if (data.board) setBoard(data.board);
    render();
    if (fresh && announce) announce.textContent = format(texts.new_answers, {count: fresh});
  }
  function apply(answer) { answers.set(answer.id, answer); render(); }

  // After a merge the pressed button is gone (the merge bar hides, an accepted suggestion's answer is merged):
  // the focus goes to the merged answer, and what happened is said.
  function afterMerge(merged) {
    merged.originals.forEach(function (id) {
      var original = answers.get(id);
      if (original) original.merged_into = merged.id;
      selected.delete(id);
    });
    apply(merged);
    var item = document.getElementById("console-" + merged.id);
    if (item) { item.tabIndex = -1; item.focus(); }
    if (announce) announce.textContent = format(texts.merged_done, {count: merged.originals.length, text: merged.text});
  }

  document.querySelector("[data-console-open-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    var open = document.querySelector("[data-console-open-value]").value === "1";
    api("POST", open ? "open" : "close").then(setBoard).catch(function () {});
  });

  document.querySelector("[data-console-new-code]").addEventListener("click", function () {
    if (!window.confirm(texts.confirm_new_code)) return;
    api("POST", "new-code").then(function (board) {
      // Every address of the board has the code in it: go on at the console's new address.
      window.location.assign(window.location.pathname.replace("/" + config.code + "/", "/" + board.code + "/"));
    }).catch(function () {});
  });

  list.addEventListener("change", function (event) {
    var box = event.target.closest("[data-select]");
    if (!box) return;
    var id = Number(box.dataset.select);
    if (box.checked) selected.add(id); else selected.delete(id);
    mergeBar.hidden = selected.size < 2;
    document.querySelector("[data-console-selected]").textContent = selected.size ? "(" + selected.size + ")" : "";
  });

  document.querySelector("[data-console-merge-button]").addEventListener("click", function () {
    var text = document.querySelector("[data-console-merge-text]").value.trim();
    var body = {answers: Array.from(selected)};
    if (text) body.text = text;
    api("POST", "merge", body).then(function (merged) {
      selected.clear();
      document.querySelector("[data-console-merge-text]").value = "";
      document.querySelector("[data-console-selected]").textContent = "";
      afterMerge(merged);
    }).catch(function () {});
  });

  list.addEventListener("click", function (event) {
    var node = event.target.closest("[data-action]");
    if (!node) return;
    var id = Number(node.dataset.id);
    var answer = answers.get(id);
    var action = node.dataset.action;
    if (action === "edit") {
      editing.set(id, answer.text);
      render();
      document.getElementById("edit-" + id).focus();
      return;
    }
    if (action === "cancel-edit" || action === "save-text") {
      var draft = editing.get(id);
      var done = function (saved) {
        editing.delete(id);
        if (saved) answers.set(saved.id, saved);
        render();
        var again = document.querySelector('#console-' + id + ' [data-action="edit"]');
        if (again) again.focus();
        if (saved && announce) announce.textContent = texts.text_saved;
      };
      if (action === "cancel-edit") done(null);
      else api("PATCH", "answers/" + id, {text: draft}).then(done).catch(function () {
        var area = document.getElementById("edit-" + id);
        if (area) area.focus();
      });
      return;
    }
    if (action === "priority") api("PATCH", "answers/" + id, {priority: !answer.priority}).then(apply).catch(function () {});
    else if (action === "status") api("PATCH", "answers/" + id, {status: node.dataset.status}).then(apply).catch(function () {});
    else if (action === "unmerge") api("POST", "answers/" + id + "/unmerge").catch(function () {});
    else if (action === "accept") api("POST", "suggestions/" + node.dataset.suggestion + "/accept").then(afterMerge).catch(function () {});
    else if (action === "dismiss") api("POST", "suggestions/" + node.dataset.suggestion + "/dismiss").then(apply).catch(function () {});
    else if (action === "use-suggested" || action === "save-tags") {
      var details = node.closest("[data-tags]");
      var body;
      if (action === "use-suggested") {
        var s = answer.suggested_tags;
        body = {policy_areas: Array.from(new Set(answer.policy_areas.concat(s.policy_areas))),
                crc_articles: Array.from(new Set(answer.crc_articles.concat(s.crc_articles))),
                sdgs: Array.from(new Set(answer.sdgs.concat(s.sdgs)))};
      } else {
        body = {
          policy_areas: Array.from(details.querySelectorAll("input[name=area]:checked")).map(function (box) { return box.value; }),
          crc_articles: numbers(details.querySelector("input[name=crc]").value).map(Number),
          sdgs: numbers(details.querySelector("input[name=sdg]").value).map(Number),
          indicators: numbers(details.querySelector("input[name=indicator]").value),
        };
        if (body.crc_articles.some(isNaN) || body.sdgs.some(isNaN)) { showMessage(format(texts.error, {detail: texts.numbers_only})); return; }
      }
      api("PATCH", "answers/" + id, body).then(apply).catch(function () {});
    }
  });

  // The initial list comes from the first snapshot of the stream (or the first poll).
  window.LiveFeed({stream: config.stream, poll: config.poll, onSnapshot: onSnapshot, onUpdate: onUpdate});
})();
