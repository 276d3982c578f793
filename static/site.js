/* Glossary site script: the search box and the search page, "Did you mean" on the 404 page, copy buttons.
 *
 * Search comes in two steps. Every page loads the names list (titles, aliases, addresses: a few KB), so
 * typing shows matching names at once; the lunr.js index, which also searches summaries and definitions,
 * loads when the search box is first focused and then replaces those results. */
(function () {
  "use strict";

  var input = document.getElementById("g-search-input");
  if (!input) return;
  var form = input.form;
  var panel = form.querySelector(".search-panel");
  var list = document.getElementById("g-search-results");
  var status = form.querySelector(".search-status");
  var more = form.querySelector(".search-more");
  var clear = form.querySelector(".search-clear");
  var root = input.getAttribute("data-root") || "";
  var pageBox = document.querySelector("[data-search-page]");
  var POPUP_LIMIT = 20;
  var state = {
    names: null, namesFailed: false, index: null, indexTerms: [], docs: null, loading: null, failed: false,
    results: [], active: -1, timer: 0, query: ""
  };

  // ------------------------------------------------------------------ text helpers

  function fold(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  // A name with its punctuation and spaces taken out: "HTTP/2" -> "http2", "Node.js" -> "nodejs".
  function compact(s) {
    return fold(s).replace(/[^\p{L}\p{N}]+/gu, "");
  }

  // Everything that is not a letter or digit becomes a space, so Lunr's query syntax
  // (+ - * ~ ^ : and quotes) can never reach the parser: we build queries with the API.
  function words(q) {
    var clean = fold(q).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    return clean ? clean.split(" ") : [];
  }

  // The words a query searches for: without stop words ("what is a quota" -> "quota"), unless it has nothing else.
  function contentWords(ws) {
    var stop = state.names ? state.names.stop : {};
    var kept = ws.filter(function (w) { return !stop[w]; });
    return kept.length ? kept : ws;
  }

  // Damerau-Levenshtein distance (adjacent transpositions count as one edit), stopping early above `max`.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var rows = [], i, j;
    for (i = 0; i <= a.length; i++) { rows.push([i]); }
    for (j = 1; j <= b.length; j++) rows[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      var best = max + 1;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
        rows[i][j] = d;
        if (d < best) best = d;
      }
      if (best > max) return max + 1;
    }
    return rows[a.length][b.length];
  }

  // ------------------------------------------------------------------ loading

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }

  function prepareNames(data) {
    var stop = {};
    data.stop.forEach(function (w) { stop[w] = true; });
    var vocabulary = {};
    var terms = data.terms.map(function (t, i) {
      var title = t[0], aliases = t[1], path = t[2];
      var slug = path.split("/").slice(-2)[0];
      // "Node (DOM)" is also known by its two parts, "Node" and "DOM".
      var paren = /^(.+?)\s*\(([^()]+)\)$/.exec(title);
      var term = {
        i: i, title: title, aliases: aliases, path: path, slug: slug,
        titleFold: fold(title), aliasFolds: aliases.map(fold),
        compacts: [title].concat(aliases).map(compact),
        parts: paren ? [compact(paren[1]), compact(paren[2])] : [],
        words: words([title].concat(aliases).join(" "))
      };
      term.words.concat(slug.split("-")).forEach(function (w) { vocabulary[w] = true; });
      return term;
    });
    state.names = { stop: stop, terms: terms, vocabulary: Object.keys(vocabulary) };
  }

  var namesReady = loadScript(input.getAttribute("data-names"))
    .then(function () { prepareNames(window.GLOSSARY_NAMES); })
    .catch(function () { state.namesFailed = true; });

  function ensureIndex() {
    if (state.index) return Promise.resolve();
    if (state.loading) return state.loading;
    state.loading = namesReady
      .then(function () { return loadScript(input.getAttribute("data-lunr")); })
      .then(function () { return loadScript(input.getAttribute("data-index")); })
      .then(function () {
        if (!state.names) throw new Error("no names list");
        state.docs = window.GLOSSARY_SEARCH.docs;
        state.index = window.lunr.Index.load(window.GLOSSARY_SEARCH.index);
        state.indexTerms = Object.keys(state.index.invertedIndex).sort();
      })
      .catch(function () { state.failed = true; })
      .then(function () { state.loading = null; });
    return state.loading;
  }

  // ------------------------------------------------------------------ matching

  function singular(c) {
    if (/ies$/.test(c)) return c.slice(0, -3) + "y";
    if (/(s|x|ch|sh)es$/.test(c)) return c.slice(0, -2);
    if (/[^s]s$/.test(c)) return c.slice(0, -1);
    return "";
  }

  // How closely a query names a term: 0 its title, 1 an alias, 2 either without punctuation ("http2"),
  // 3 a part of "Name (ABBR)", 4 a plural of a name; -1 when it does not name the term.
  function nameTier(t, f, c, one) {
    if (t.titleFold === f) return 0;
    if (t.aliasFolds.indexOf(f) >= 0) return 1;
    if (c && t.compacts.indexOf(c) >= 0) return 2;
    if (c && t.parts.indexOf(c) >= 0) return 3;
    if (one && (t.compacts.indexOf(one) >= 0 || t.parts.indexOf(one) >= 0)) return 4;
    return -1;
  }

  // Terms the query names exactly, best first.
  function exactMatches(q) {
    var f = fold(q), c = compact(q), one = singular(c);
    if (!c && !f) return [];
    var found = [];
    state.names.terms.forEach(function (t) {
      var tier = nameTier(t, f, c, one);
      if (tier >= 0) found.push([tier, t.i]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return found.map(function (x) { return x[1]; });
  }

  // Terms the query names, or names once its stop words are left out ("what is a quota" -> Quota).
  function named(q) {
    var found = exactMatches(q), rest = contentWords(words(q)).join(" ");
    return found.length || rest === words(q).join(" ") ? found : exactMatches(rest);
  }

  // Instant results from the names list alone: exact names, then names that start with the query,
  // then names with a word starting with each word of the query. Shortest names first.
  function nameMatches(q) {
    var c = compact(q), ws = contentWords(words(q)), exact = named(q), found = [];
    if (!c) return [];
    state.names.terms.forEach(function (t) {
      if (exact.indexOf(t.i) >= 0) return;
      var starts = t.compacts.some(function (k) { return k.indexOf(c) === 0; });
      var every = ws.every(function (w) { return t.words.some(function (v) { return v.indexOf(w) === 0; }); });
      if (starts || every) found.push([starts ? 0 : 1, t.title.length, t.i]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return exact.concat(found.map(function (x) { return x[2]; }));
  }

  function stemmed(w) {
    return window.lunr.stemmer(new window.lunr.Token(w)).toString();
  }

  // The index terms a query word may have matched: its stem, and for the word being typed (the last),
  // any index term starting with the stem or with the word's own first letters (a word typed halfway).
  function wordMatcher(w, last, fuzzy) {
    var stem = stemmed(w);
    return function (term) {
      if (term === stem) return true;
      if (last && term.indexOf(stem) === 0) return true;
      if (last && !indexHasPrefix(stem)) {
        for (var k = Math.max(3, w.length - 3); k < w.length; k++) if (term === w.slice(0, k)) return true;
      }
      return fuzzy && w.length >= 5 && distance(term, stem, 1) <= 1;
    };
  }

  // Whether some index term starts with `prefix` (a binary search of the sorted index terms).
  function indexHasPrefix(prefix) {
    var terms = state.indexTerms, lo = 0, hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    return lo < terms.length && terms[lo].indexOf(prefix) === 0;
  }

  // lunr's hits for the words of a query; `fuzzy` also finds words one edit away ("retension").
  function lunrHits(ws, fuzzy) {
    var lunr = window.lunr;
    var typed = contentWords(ws), allStop = typed === ws && ws.some(function (w) { return state.names.stop[w]; });
    return {
      words: typed,
      hits: state.index.query(function (query) {
        typed.forEach(function (w, n) {
          var stem = stemmed(w), last = n === typed.length - 1 && !allStop;
          query.term(w, { boost: 10 });  // goes through the search pipeline (stemmer)
          if (last) {
            query.term(stem, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 3 });
            // A word typed halfway ("recurri") is longer than the stem the index holds ("recur"):
            // when no index term starts with it, also look for its own first letters, dropping up to three.
            if (!indexHasPrefix(stem)) {
              for (var k = Math.max(3, w.length - 3); k < w.length; k++) {
                query.term(w.slice(0, k), { usePipeline: false, boost: 0.5 });
              }
            }
          }
          if (fuzzy && w.length >= 5) query.term(stem, { usePipeline: false, editDistance: 1, boost: 1 });
        });
      })
    };
  }

  // [how many query words start a word of the term's names, the largest share of one name's words they start].
  function nameScore(t, typed) {
    var starts = function (name, w) { return name.some(function (v) { return v.indexOf(w) === 0; }); };
    var count = typed.filter(function (w) { return starts(t.words, w); }).length, share = 0;
    if (count) {
      [t.title].concat(t.aliases).forEach(function (name) {
        var ws = words(name), hit = typed.filter(function (w) { return starts(ws, w); }).length;
        if (ws.length) share = Math.max(share, hit / ws.length);
      });
    }
    return [count, share];
  }

  // Full search. Returns {refs: [term numbers], bodyOnly: {number: true}}: exact names first, then
  // lunr's hits; when some hits match every word of the query, only those.
  function fullSearch(q, fuzzy) {
    var ws = words(q);
    if (!ws.length) return { refs: [], bodyOnly: {} };
    var run = lunrHits(ws, fuzzy), matchers = run.words.map(function (w, n) {
      return wordMatcher(w, n === run.words.length - 1, fuzzy);
    });
    var bodyOnly = {};
    var hits = run.hits.map(function (h) {
      var terms = Object.keys(h.matchData.metadata);
      var all = matchers.every(function (m) { return terms.some(m); });
      var fields = {};
      terms.forEach(function (term) { Object.keys(h.matchData.metadata[term]).forEach(function (f) { fields[f] = 1; }); });
      var ref = parseInt(h.ref, 36);
      if (Object.keys(fields).join() === "body") bodyOnly[ref] = true;
      return { ref: ref, all: all };
    });
    if (hits.some(function (h) { return h.all; })) hits = hits.filter(function (h) { return h.all; });
    var exact = named(q), typed = contentWords(ws);
    exact.forEach(function (i) { delete bodyOnly[i]; });
    // Terms named by more of the query's words come first, and among those the names with fewest other
    // words ("retention": Customer Retention before Gross Revenue Retention); lunr's order breaks ties.
    hits = hits.map(function (h, n) { return [nameScore(state.names.terms[h.ref], typed), n, h]; })
      .sort(function (a, b) { return b[0][0] - a[0][0] || b[0][1] - a[0][1] || a[1] - b[1]; })
      .map(function (x) { return x[2]; });
    var refs = exact.concat(hits.map(function (h) { return h.ref; }).filter(function (r) { return exact.indexOf(r) < 0; }));
    return { refs: refs, bodyOnly: bodyOnly };
  }

  // The query with each word that starts no name replaced by the nearest word of a name ("pipleine" -> "pipeline").
  function corrected(q) {
    var vocabulary = state.names.vocabulary, changed = false;
    var out = words(q).map(function (w) {
      if (state.names.stop[w] || w.length < 4) return w;
      if (vocabulary.some(function (v) { return v.indexOf(w) === 0; })) return w;
      var max = w.length <= 5 ? 1 : 2, best = w, bestD = max + 1;
      vocabulary.forEach(function (v) {
        var d = distance(w, v, max);
        if (d < bestD) { best = v; bestD = d; }
      });
      if (best !== w) changed = true;
      return best;
    });
    return changed ? out.join(" ") : "";
  }

  // Trigram overlap against every title, alias and address: a cheap "did you mean".
  function closest(q, n) {
    function grams(s) {
      var g = {}; s = "  " + fold(s) + " ";
      for (var i = 0; i < s.length - 2; i++) g[s.substr(i, 3)] = 1;
      return g;
    }
    var qg = grams(q), qn = Object.keys(qg).length, scored = [];
    state.names.terms.forEach(function (t) {
      var best = 0;
      [t.title, t.slug.replace(/-/g, " ")].concat(t.aliases).forEach(function (name) {
        var g = grams(name), common = 0, total = 0;
        for (var k in g) { total++; if (qg[k]) common++; }
        best = Math.max(best, common / (total + qn - common));
      });
      if (best > 0.1) scored.push([best, t.i]);
    });
    scored.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return scored.slice(0, n).map(function (s) { return s[1]; });
  }

  // ------------------------------------------------------------------ showing results

  function escapeRe(w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // Marks every word that starts with one of `prefixes` (the query's words and their stems).
  function highlight(el, text, prefixes) {
    if (!prefixes.length) { el.textContent = text; return; }
    var re = new RegExp("(^|[^\\p{L}\\p{N}])(" + prefixes.map(escapeRe).join("|") + ")", "giu");
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

  function prefixesOf(q) {
    var ws = contentWords(words(q)), out = ws.slice();
    if (window.lunr && state.index) ws.forEach(function (w) { var s = stemmed(w); if (out.indexOf(s) < 0) out.push(s); });
    out.sort(function (a, b) { return b.length - a.length; });
    return out;
  }

  // About twenty words of the definition around its first word that matches.
  function snippet(text, prefixes) {
    var tokens = text.split(/\s+/), at = -1;
    for (var i = 0; i < tokens.length && at < 0; i++) {
      var w = words(tokens[i]);
      if (w.some(function (x) { return prefixes.some(function (p) { return x.indexOf(p) === 0; }); })) at = i;
    }
    if (at < 0) return "";
    var from = Math.max(0, at - 8), to = Math.min(tokens.length, at + 14);
    return (from ? "… " : "") + tokens.slice(from, to).join(" ") + (to < tokens.length ? " …" : "");
  }

  // The aliases a result lists beside its title: not the abbreviation a "Name (ABBR)" title already shows
  // (as autolink.shown_aliases decides for the pages).
  function shownAliases(t) {
    var m = /\(([^()]+)\)\s*$/.exec(t.title);
    var inTitle = [t.title.toLowerCase()].concat(m ? [m[1].toLowerCase(), t.title.slice(0, m.index).trim().toLowerCase()] : []);
    return t.aliases.filter(function (a) { return inTitle.indexOf(a.toLowerCase()) < 0; });
  }

  function resultItem(i, prefixes, idPrefix, n, bodyOnly) {
    var t = state.names.terms[i], doc = state.docs ? state.docs[i] : null;
    var li = document.createElement("li");
    // Inside the listbox an option holds text only (no nested link): the option itself navigates.
    var a = document.createElement(idPrefix ? "span" : "a");
    if (idPrefix) li.setAttribute("data-href", root + t.path); else a.href = root + t.path;
    a.className = "term-name";
    highlight(a, t.title, prefixes);
    li.appendChild(a);
    var shown = shownAliases(t);
    if (shown.length) {
      var aliases = document.createElement("span");
      aliases.className = "aliases";
      highlight(aliases, "(" + shown.join(", ") + ")", prefixes);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(aliases);
    }
    var text = doc && bodyOnly ? snippet(doc[1], prefixes) : "";
    if (doc) {
      var p = document.createElement("p");
      if (text) p.className = "snippet";
      highlight(p, text || doc[0], prefixes);
      li.appendChild(p);
    }
    if (idPrefix) {
      li.id = idPrefix + n;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
    }
    return li;
  }

  function searchUrl(q) {
    return root + "search/index.html?q=" + encodeURIComponent(q.trim());
  }

  function termLinks(el, refs) {
    refs.forEach(function (i, n) {
      var a = document.createElement("a");
      a.href = root + state.names.terms[i].path;
      a.textContent = state.names.terms[i].title;
      if (n) el.appendChild(document.createTextNode(", "));
      el.appendChild(a);
    });
  }

  function countText(shown, total) {
    if (shown < total) return shown + " of " + total + " results";
    return total + (total === 1 ? " result" : " results");
  }

  // What a query finds, ready to show: {refs, bodyOnly, total, prefixes, status: [text or node, ...]}.
  function find(q, limit) {
    var ws = words(q), out = { refs: [], bodyOnly: {}, prefixes: prefixesOf(q), status: [], total: 0 };
    if (!ws.length) return out;
    if (!state.names) {
      out.status = [state.namesFailed ? "Search could not be loaded. Use the A–Z index instead." : "Loading search…"];
      return out;
    }
    var full = !!state.index, result = full ? fullSearch(q, false) : { refs: nameMatches(q), bodyOnly: {} };
    if (!result.refs.length && full) {
      // Nothing: a query one or two typos from the names ("pipleine") shows the results for the names,
      // and says so; else words one edit from any indexed word.
      var better = corrected(q);
      var second = better ? fullSearch(better, false) : { refs: [] };
      if (second.refs.length) {
        result = second;
        out.prefixes = prefixesOf(better);
        var em = document.createElement("em");
        em.textContent = better;
        out.status = ["Showing results for ", em, ". No terms match “" + q.trim() + "”. "];
      } else {
        result = fullSearch(q, true);
      }
    }
    out.total = result.refs.length;
    out.refs = limit ? result.refs.slice(0, limit) : result.refs;
    out.bodyOnly = result.bodyOnly;
    if (!full) {
      var failed = state.failed;
      out.status.push(out.total ? countText(out.refs.length, out.total) + " by name. " : "No names match. ");
      out.status.push(failed ? "Full search could not be loaded." : "Searching definitions…");
    } else if (out.total) {
      out.status.push(countText(out.refs.length, out.total));
    } else {
      out.status.push("No terms match “" + q.trim() + "”.");
      var near = closest(q, 3);
      if (near.length) {
        var span = document.createElement("span");
        span.appendChild(document.createTextNode(" Closest terms: "));
        termLinks(span, near);
        out.status.push(span);
      }
    }
    return out;
  }

  function show(found, ul, statusEl, idPrefix) {
    ul.textContent = "";
    found.refs.forEach(function (i, n) {
      ul.appendChild(resultItem(i, found.prefixes, idPrefix, n, found.bodyOnly[i]));
    });
    statusEl.textContent = "";
    found.status.forEach(function (part) {
      statusEl.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
  }

  // ------------------------------------------------------------------ the popup

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
    if (!show) setActive(-1);
  }

  function isOpen() { return !panel.hidden; }

  function render() {
    var q = input.value;
    clear.hidden = !q;
    if (pageBox) { renderPage(q, true); return; }
    if (!words(q).length) { list.textContent = ""; status.textContent = ""; state.results = []; open(false); return; }
    var found = find(q, POPUP_LIMIT);
    state.results = found.refs;
    show(found, list, status, "g-search-option-");
    more.hidden = found.total <= found.refs.length;
    if (!more.hidden) {
      more.href = searchUrl(q);
      more.textContent = "See all " + found.total + " results";
    }
    open(true);
    setActive(-1);
  }

  // Shows the results we have now and again when more of the search has loaded.
  function update() {
    render();
    if (words(input.value).length && !state.index && !state.failed) {
      namesReady.then(function () { render(); return ensureIndex(); }).then(render);
    }
  }

  function go(href) { window.location.href = href; }

  input.addEventListener("focus", function () { ensureIndex(); });
  input.addEventListener("input", function () {
    clearTimeout(state.timer);
    clear.hidden = !input.value;
    state.timer = setTimeout(update, 60);
  });
  input.addEventListener("keydown", function (e) {
    var n = state.results.length;
    if (e.key === "ArrowDown" && !pageBox) {
      e.preventDefault();
      if (!isOpen() && words(input.value).length) { render(); return; }
      if (n) setActive((state.active + 1) % n);
    } else if (e.key === "ArrowUp" && n && isOpen()) {
      e.preventDefault();
      setActive(state.active <= 0 ? n - 1 : state.active - 1);
    } else if (e.key === "Escape") {
      // The first Escape closes the results, the next one clears the box.
      e.preventDefault();
      if (isOpen()) open(false);
      else if (input.value) { input.value = ""; render(); }
    } else if (e.key === "Enter") {
      if (isOpen() && state.active >= 0) {
        e.preventDefault();
        go(list.querySelectorAll("li")[state.active].getAttribute("data-href"));
        return;
      }
      // A query that names a term ("arr", "mql") opens it; anything else goes to the search page.
      var exact = state.names ? exactMatches(input.value) : [];
      if (exact.length && words(input.value).length) {
        e.preventDefault();
        go(root + state.names.terms[exact[0]].path);
      }
    }
  });
  // Clicking inside the panel keeps the focus in the box (so the panel is not closed by the focus leaving).
  panel.addEventListener("mousedown", function (e) { e.preventDefault(); });
  list.addEventListener("click", function (e) {
    var li = e.target.closest("li[data-href]");
    if (li) go(li.getAttribute("data-href"));
  });
  form.addEventListener("focusout", function (e) {
    if (!e.relatedTarget || !form.contains(e.relatedTarget)) open(false);
  });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) open(false); });
  clear.addEventListener("click", function () {
    input.value = "";
    render();
    input.focus();
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); input.focus(); }
  });
  // The "/" shortcut is worth a mention only where there is a keyboard (a fine pointer that can hover).
  if (window.matchMedia && window.matchMedia("(hover: hover) and (pointer: fine)").matches) {
    input.placeholder = input.placeholder + " (press /)";
  }

  // ------------------------------------------------------------------ the search page

  // search/index.html?q=... shows every result for a query (help docs can link to a search); there the
  // search box updates this one list as you type, instead of opening its own.
  var pageTitle = document.title, pageHeading = pageBox && document.querySelector("main h1");

  function renderPage(q, typed) {
    var ul = pageBox.querySelector("ul"), statusEl = pageBox.querySelector(".search-page-status");
    var has = words(q).length > 0;
    pageHeading.textContent = has ? "Results for “" + q.trim() + "”" : "Search";
    document.title = has ? "“" + q.trim() + "” · " + pageTitle : pageTitle;
    if (typed) {
      try { window.history.replaceState(null, "", has ? "?q=" + encodeURIComponent(q.trim()) : "?"); } catch (err) { /* file:// */ }
    }
    if (!has) { ul.textContent = ""; statusEl.textContent = "Type in the search box above, or browse the A–Z index."; return; }
    show(find(q, 0), ul, statusEl, "");
  }

  if (pageBox) {
    input.removeAttribute("aria-controls");
    input.setAttribute("aria-expanded", "false");
    var q = new URLSearchParams(window.location.search).get("q") || "";
    input.value = q;
    clear.hidden = !q;
    if (words(q).length) {
      renderPage(q, false);
      namesReady.then(function () { renderPage(q, false); return ensureIndex(); })
        .then(function () { if (input.value === q) renderPage(q, false); });
    }
  }

  // ------------------------------------------------------------------ the 404 page

  // The last part of the mistyped address ("/terms/pipline/" -> "pipline"), matched against every name.
  var suggest = document.querySelector("[data-did-you-mean]");
  if (suggest) {
    namesReady.then(function () {
      if (!state.names) return;
      var parts = window.location.pathname.split("/").filter(function (p) { return p && p !== "index.html"; });
      var last = parts.length ? decodeURIComponent(parts[parts.length - 1]).replace(/\.html?$/, "") : "";
      var wanted = last.replace(/[-_+.]+/g, " ");
      if (!words(wanted).length || last === "404") return;
      var near = closest(wanted, 3);
      if (!near.length) return;
      var ul = suggest.querySelector("ul");
      near.forEach(function (i) {
        var li = document.createElement("li");
        termLinks(li, [i]);
        ul.appendChild(li);
      });
      suggest.hidden = false;
    });
  }

  // ------------------------------------------------------------------ the sticky header's height

  // The letter rail sticks just under the header, and focused or linked-to elements scroll clear of it
  // (scroll-padding): both need the header's real height, which changes with the window's width.
  var header = document.querySelector(".site-header");
  function headerHeight() {
    document.documentElement.style.setProperty("--header-h", header.getBoundingClientRect().height + "px");
  }
  if (header && window.ResizeObserver) new ResizeObserver(headerHeight).observe(header);

  // ------------------------------------------------------------------ copy buttons and print

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var note = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      var done = function () { note.textContent = button.getAttribute("data-done"); };
      var fallback = function () {
        var t = document.createElement("textarea");
        t.value = text; t.setAttribute("readonly", ""); t.className = "visually-hidden";
        document.body.appendChild(t); t.select();
        try { document.execCommand("copy"); done(); } catch (err) { note.textContent = text; }
        document.body.removeChild(t);
        button.focus();
      };
      if (!navigator.clipboard || !window.isSecureContext) { fallback(); return; }
      // writeText can stay pending (an unfocused or headless window): fall back after a moment.
      var settled = false;
      var once = function (fn) { return function () { if (!settled) { settled = true; fn(); } }; };
      setTimeout(once(fallback), 1500);
      navigator.clipboard.writeText(text).then(once(done), once(fallback));
    });
  });

  // A printed page says when it was printed.
  function printDate() {
    document.querySelectorAll("[data-print-date]").forEach(function (el) {
      el.textContent = "Printed " + new Date().toLocaleDateString(document.documentElement.lang || undefined,
        { year: "numeric", month: "long", day: "numeric" });
    });
  }
  printDate();
  window.addEventListener("beforeprint", printDate);
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
