// Suggestions under the site's search box, from /api/search, as an ARIA combobox (WAI-ARIA Authoring
// Practices, "combobox with listbox popup"). Up/Down choose a suggestion, Enter opens it, Escape closes
// the list; Enter with none chosen submits the form as without this script, which the page works without.
(function () {
  "use strict";

  var form = document.querySelector("form[data-suggest]");
  var input = form && form.querySelector("input[name=q]");
  if (!input || !window.fetch) return;

  var DELAY_MS = 150, ROWS = 8, MIN_LENGTH = 2;
  var listbox = document.createElement("ul");
  var status = document.createElement("span");
  var timer = null, latest = 0, docs = [], active = -1;

  listbox.id = "site-search-suggestions";
  listbox.className = "suggestions";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "Suggestions");
  listbox.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(listbox);
  form.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(index) {
    var options = listbox.children;
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = index;
    if (active < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({block: "nearest"});
  }

  function option(doc, index) {
    var item = document.createElement("li");
    var label = document.createElement("span");
    var type = document.createElement("span");
    item.id = listbox.id + "-" + index;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    label.className = "label";
    label.textContent = doc.label;
    type.className = "type";
    type.textContent = doc.type_label;
    item.appendChild(label);
    item.appendChild(type);
    if (doc.match_kind.indexOf("label") !== 0) {
      var why = document.createElement("span");
      why.className = "why";
      why.textContent = doc.matched_text;
      item.appendChild(why);
    }
    item.addEventListener("mousedown", function (event) { event.preventDefault(); });
    item.addEventListener("click", function () { window.location.assign(doc.page); });
    return item;
  }

  function show(found, newDocs) {
    docs = newDocs;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    listbox.replaceChildren.apply(listbox, docs.map(option));
    status.textContent = found === 0 ? "No suggestions" :
      docs.length + " of " + found + " suggestions; use the up and down keys to choose one";
    if (docs.length === 0) {
      close();
      return;
    }
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function suggest() {
    var text = input.value.trim();
    var request = ++latest;
    if (text.length < MIN_LENGTH) {
      docs = [];
      listbox.replaceChildren();
      status.textContent = "";
      close();
      return;
    }
    var url = form.dataset.suggest + "?" + new URLSearchParams({q: text, rows: String(ROWS)});
    fetch(url, {headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (request !== latest || document.activeElement !== input) return;
        if (body) show(body.response.numFound, body.response.docs); else close();
      })
      .catch(close);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, DELAY_MS);
  });

  input.addEventListener("keydown", function (event) {
    var open = !listbox.hidden, count = docs.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) return;
      event.preventDefault();
      if (!open) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      var down = event.key === "ArrowDown";
      choose(down ? (active + 1) % count : (active <= 0 ? count - 1 : active - 1));
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      window.location.assign(docs[active].page);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", close);
})();
