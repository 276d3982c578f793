/* Glossary site script: search box (lunr.js, loaded on first focus), copy-link buttons. */
(function () {
  "use strict";

  var input = document.getElementById("g-search-input");
  if (!input) return;
  var form = input.form;
  var panel = form.querySelector(".search-panel");
  var list = document.getElementById("g-search-results");
  var status = form.querySelector(".search-status");
  var root = input.getAttribute("data-root") || "";
  var state = { index: null, data: null, loading: false, results: [], active: -1, timer: 0 };
  var pageBox = document.querySelector("[data-search-page]");

  function fold(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  // Everything that is not a letter or digit becomes a space, so Lunr's query syntax
  // (+ - * ~ ^ : and quotes) can never reach the parser: we build queries with the API.
  function words(q) {
    var clean = fold(q).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    return clean ? clean.split(" ") : [];
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }

  function ensureIndex() {
    if (state.index || state.loading) return state.loading || Promise.resolve();
    state.loading = loadScript(input.getAttribute("data-lunr"))
      .then(function () { return loadScript(input.getAttribute("data-index")); })
      .then(function () {
        state.data = window.GLOSSARY_SEARCH;
        state.index = window.lunr.Index.load(state.data.index);
        state.loading = false;
      })
      .catch(function () {
        state.loading = false;
        status.textContent = "Search could not be loaded. Use the A–Z index instead.";
      });
    return state.loading;
  }

  function stemmed(w) {
    return window.lunr.stemmer(new window.lunr.Token(w)).toString();
  }

  function search(q) {
    var ws = words(q);
    if (!ws.length || !state.index) return [];
    var lunr = window.lunr;
    var hits = state.index.query(function (query) {
      ws.forEach(function (w) {
        var stem = stemmed(w);
        query.term(w, { boost: 10 });  // goes through the search pipeline (stemmer)
        query.term(stem, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 3 });
        if (w.length >= 5) query.term(stem, { usePipeline: false, editDistance: 1, boost: 1 });
        // A word typed halfway ("recurri") is longer than the stem the index holds ("recur"):
        // also look for its own first letters, dropping up to three, as whole index terms.
        for (var k = Math.max(3, w.length - 3); k < w.length; k++) {
          query.term(w.slice(0, k), { usePipeline: false, boost: 0.5 });
        }
      });
    });
    var slugs = hits.map(function (h) { return h.ref; });
    var exact = state.data.names[fold(q)];
    if (exact) slugs = [exact].concat(slugs.filter(function (s) { return s !== exact; }));
    return slugs.slice(0, 20);
  }

  function closest(q, n) {
    // Trigram overlap against every title and alias: a cheap "did you mean".
    function grams(s) {
      var g = {}; s = "  " + fold(s) + " ";
      for (var i = 0; i < s.length - 2; i++) g[s.substr(i, 3)] = 1;
      return g;
    }
    var qg = grams(q), scored = [];
    Object.keys(state.data.names).forEach(function (name) {
      var g = grams(name), common = 0, total = 0;
      for (var k in g) { total++; if (qg[k]) common++; }
      scored.push([common / (total + Object.keys(qg).length - common), state.data.names[name]]);
    });
    scored.sort(function (a, b) { return b[0] - a[0]; });
    var out = [];
    scored.forEach(function (s) { if (s[0] > 0.1 && out.indexOf(s[1]) < 0 && out.length < n) out.push(s[1]); });
    return out;
  }

  function highlight(el, text, ws) {
    if (!ws.length) { el.textContent = text; return; }
    var escaped = ws.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    var re = new RegExp("(^|[^\\p{L}\\p{N}])(" + escaped.join("|") + ")", "giu");
    var last = 0, m;
    while ((m = re.exec(text)) !== null) {
      var start = m.index + m[1].length, end = start + m[2].length;
      if (end === start) { re.lastIndex++; continue; }
      el.appendChild(document.createTextNode(text.slice(last, start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      el.appendChild(mark);
      last = end;
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }

  function resultItem(slug, ws, idPrefix, i) {
    var doc = state.data.docs[slug];
    var li = document.createElement("li");
    // Inside the listbox an option holds text only (no nested link): the option itself navigates.
    var a = document.createElement(idPrefix ? "span" : "a");
    if (idPrefix) li.setAttribute("data-href", root + doc[3]); else a.href = root + doc[3];
    a.className = "term-name";
    highlight(a, doc[0], ws);
    li.appendChild(a);
    if (doc[1].length) {
      var aliases = document.createElement("span");
      aliases.className = "aliases";
      highlight(aliases, "(" + doc[1].join(", ") + ")", ws);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(aliases);
    }
    var p = document.createElement("p");
    highlight(p, doc[2], ws);
    li.appendChild(p);
    if (idPrefix) {
      li.id = idPrefix + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
    }
    return li;
  }

  function describe(count, q) {
    if (!words(q).length) return "";
    return count === 0 ? "No terms match “" + q.trim() + "”." : count + (count === 1 ? " result" : " results");
  }

  function renderInto(ul, statusEl, q, idPrefix) {
    var slugs = search(q), ws = words(q);
    ul.textContent = "";
    slugs.forEach(function (slug, i) { ul.appendChild(resultItem(slug, ws, idPrefix, i)); });
    statusEl.textContent = describe(slugs.length, q);
    if (!slugs.length && ws.length) {
      var near = closest(q, 3);
      if (near.length) {
        statusEl.appendChild(document.createTextNode(" Closest terms: "));
        near.forEach(function (slug, i) {
          var a = document.createElement("a");
          a.href = root + state.data.docs[slug][3];
          a.textContent = state.data.docs[slug][0];
          if (i) statusEl.appendChild(document.createTextNode(", "));
          statusEl.appendChild(a);
        });
      }
    }
    return slugs;
  }

  function setActive(i) {
    var items = list.querySelectorAll("li");
    if (state.active >= 0 && items[state.active]) items[state.active].setAttribute("aria-selected", "false");
    state.active = i;
    if (i >= 0 && items[i]) {
      items[i].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[i].id);
      items[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open(show) {
    panel.hidden = !show;
    input.setAttribute("aria-expanded", show ? "true" : "false");
  }

  function update() {
    var q = input.value;
    if (!words(q).length) { list.textContent = ""; status.textContent = ""; open(false); setActive(-1); return; }
    ensureIndex().then(function () {
      if (!state.index) { open(true); return; }
      state.results = renderInto(list, status, input.value, "g-search-option-");
      state.active = -1;
      setActive(-1);
      open(true);
    });
  }

  input.addEventListener("focus", function () { ensureIndex(); });
  input.addEventListener("input", function () {
    clearTimeout(state.timer);
    state.timer = setTimeout(update, 80);
  });
  input.addEventListener("keydown", function (e) {
    var n = state.results.length;
    if (e.key === "ArrowDown" && n) { e.preventDefault(); open(true); setActive((state.active + 1) % n); }
    else if (e.key === "ArrowUp" && n) { e.preventDefault(); setActive(state.active <= 0 ? n - 1 : state.active - 1); }
    else if (e.key === "Escape") { e.preventDefault(); input.value = ""; update(); }
    else if (e.key === "Enter" && state.active >= 0 && !panel.hidden) {
      e.preventDefault();
      window.location.href = list.querySelectorAll("li")[state.active].getAttribute("data-href");
    }
  });
  list.addEventListener("click", function (e) {
    var li = e.target.closest("li[data-href]");
    if (li) window.location.href = li.getAttribute("data-href");
  });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) open(false); });
  document.addEventListener("keydown", function (e) {
    var t = e.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); input.focus(); }
  });

  // search/index.html?q=... shows the results for a query, so help docs can link to a search.
  if (pageBox) {
    var q = new URLSearchParams(window.location.search).get("q") || "";
    if (q) {
      input.value = q;
      ensureIndex().then(function () {
        if (!state.index) return;
        renderInto(pageBox.querySelector("ul"), pageBox.querySelector(".search-page-status"), q, "");
      });
    }
  }

  document.querySelectorAll(".copy-link").forEach(function (button) {
    var note = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = button.getAttribute("data-url");
      var done = function () { note.textContent = "Link copied"; };
      var fallback = function () {
        var t = document.createElement("textarea");
        t.value = url; t.setAttribute("readonly", ""); t.className = "visually-hidden";
        document.body.appendChild(t); t.select();
        try { document.execCommand("copy"); done(); } catch (err) { note.textContent = url; }
        document.body.removeChild(t);
      };
      if (!navigator.clipboard || !window.isSecureContext) { fallback(); return; }
      // writeText can stay pending (an unfocused or headless window): fall back after a moment.
      var settled = false;
      var once = function (fn) { return function () { if (!settled) { settled = true; fn(); } }; };
      setTimeout(once(fallback), 1500);
      navigator.clipboard.writeText(url).then(once(done), once(fallback));
    });
  });
})();

/* ---- term cards (issue 16): ?theme=light|dark follows the colours of the page that frames the card ---- */
(function () {
  "use strict";
  if (!document.documentElement.classList.contains("g-card-page")) return;
  var theme = new URLSearchParams(window.location.search).get("theme");
  if (theme !== "light" && theme !== "dark") return;
  document.documentElement.setAttribute("data-theme", theme);
  var meta = document.querySelector('meta[name="color-scheme"]');
  if (meta) meta.setAttribute("content", theme);
})();
