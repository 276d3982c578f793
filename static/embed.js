/* Glossary link previews for other sites: <script src="https://<glossary>/embed.js" defer></script>
 * Every link to a term of the glossary shows a card with its title, aliases and summary on hover,
 * keyboard focus or tap. No globals, no inline script or HTML, no stylesheet: works under a strict CSP. */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector('script[src*="embed.js"]');
  if (!script || !window.fetch || !window.URL || !window.Map) return;
  var base;
  try { base = new URL("./", script.src).href; } catch (e) { return; }
  if (!/^https?:$/.test(new URL(base).protocol)) return; // file:// cannot fetch: do nothing

  var terms = new Map();
  var card = null, parts = {}, link = null, mode = "", tapped = null, saved = null;
  var openTimer = 0, closeTimer = 0, pointer = "", pressed = false;

  // One key per address: no query, hash, trailing "index.html" or trailing slash.
  function key(href) {
    try {
      var u = new URL(href, base);
      return (u.origin + u.pathname).replace(/\/index\.html$/, "").replace(/\/$/, "");
    } catch (e) { return ""; }
  }

  function index(data) {
    var root = String(data.url || "");
    (data.terms || []).forEach(function (t) {
      var addrs = [t.url].concat(t.redirects || [], "terms/" + t.slug + "/");
      addrs.forEach(function (a) {
        if (typeof a !== "string") return;
        terms.set(key(a), t);
        // The same address on the server the script came from (a local copy, a preview deploy).
        if (root && a.indexOf(root) === 0) terms.set(key(base + a.slice(root.length)), t);
      });
    });
  }

  function inCard(el) { return !!(card && el && card.contains(el)); }

  function termLink(el) {
    var a = el && el.closest ? el.closest("a[href]") : null;
    if (!a || inCard(a) || typeof a.href !== "string") return null;
    return terms.has(key(a.href)) ? a : null;
  }

  function css(el, styles) {
    for (var k in styles) el.style[k] = styles[k];
    return el;
  }

  function make(tag, parent, styles) {
    return parent.appendChild(css(document.createElement(tag), styles || {}));
  }

  function build() {
    var id = "glossary-preview";
    while (document.getElementById(id)) id = "glossary-preview-" + Math.random().toString(36).slice(2, 8);
    card = css(document.createElement("div"), {
      position: "absolute", zIndex: "2147483647", display: "none", boxSizing: "border-box",
      maxWidth: "22rem", padding: "12px 14px", margin: "0", textAlign: "left",
      background: "#fff", color: "#1b1b1b", colorScheme: "light",
      border: "1px solid #8a8a8a", borderRadius: "6px", boxShadow: "0 4px 18px rgba(0,0,0,.3)",
      font: "14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      letterSpacing: "normal", whiteSpace: "normal", overflowWrap: "break-word"
    });
    card.id = id;
    card.setAttribute("role", "tooltip");
    parts.title = make("strong", card, { display: "block", fontSize: "1.1em", fontWeight: "700", color: "inherit" });
    parts.aliases = make("span", card, { display: "block", marginTop: "2px", color: "#555", fontSize: ".9em" });
    parts.summary = make("p", card, { margin: "6px 0 8px", padding: "0", color: "inherit", font: "inherit" });
    parts.more = make("a", card, {
      color: "#0645ad", textDecoration: "underline", fontWeight: "600", background: "none", outlineOffset: "2px"
    });
    parts.more.textContent = "Read more";
    parts.more.addEventListener("focus", function () { parts.more.style.outline = "2px solid #0645ad"; });
    parts.more.addEventListener("blur", function () { parts.more.style.outline = ""; });
    document.body.appendChild(card);
  }

  function place() {
    if (!link) return;
    var r = link.getBoundingClientRect();
    var vw = document.documentElement.clientWidth || window.innerWidth, vh = window.innerHeight;
    css(card, { left: "0px", top: "0px", maxWidth: "min(22rem, " + Math.max(vw - 16, 120) + "px)", display: "block" });
    var w = card.offsetWidth, h = card.offsetHeight;
    var x = Math.max(8, Math.min(r.left, vw - 8 - w));
    var below = r.bottom + 6 + h <= vh - 8 || r.top - 6 - h < 8 && vh - r.bottom > r.top;
    var y = below ? r.bottom + 6 : r.top - 6 - h;
    // Absolute position in page coordinates, corrected for any positioned ancestor (body margin, transform).
    var now = card.getBoundingClientRect();
    css(card, { left: x - now.left + "px", top: y - now.top + "px" });
  }

  function open(a, how) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (link === a) { if (how !== "hover") mode = how; return; }
    close();
    var t = terms.get(key(a.href));
    if (!t) return;
    if (!card) build();
    parts.title.textContent = t.title || "";
    var aliases = t.aliases || [];
    parts.aliases.textContent = aliases.length ? "Also: " + aliases.join(", ") : "";
    parts.aliases.style.display = aliases.length ? "block" : "none";
    parts.summary.textContent = t.summary || "";
    parts.more.href = new URL("terms/" + t.slug + "/", base).href;
    link = a;
    mode = how;
    saved = a.getAttribute("aria-describedby");
    a.setAttribute("aria-describedby", saved ? saved + " " + card.id : card.id);
    place();
  }

  function close() {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (!link) return;
    if (saved === null) link.removeAttribute("aria-describedby");
    else link.setAttribute("aria-describedby", saved);
    card.style.display = "none";
    link = tapped = saved = null;
    mode = "";
  }

  function later(fn, ms) {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(fn, ms);
  }

  // The next element in tab order after the previewed link, skipping the card (appended to <body>).
  function nextAfter(a) {
    var all = document.querySelectorAll("a[href],area[href],button,input,select,textarea,iframe,summary,[tabindex],[contenteditable]");
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      if (inCard(el) || el.tabIndex < 0 || el.disabled || !el.getClientRects().length) continue;
      if (a.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING && !a.contains(el)) return el;
    }
    return null;
  }

  function listen() {
    var d = document;
    d.addEventListener("pointerover", function (e) {
      if (e.pointerType === "touch") return;
      if (inCard(e.target)) { clearTimeout(closeTimer); return; }
      var a = termLink(e.target);
      if (!a) return;
      clearTimeout(closeTimer);
      if (a === link) return;
      clearTimeout(openTimer);
      openTimer = setTimeout(function () { open(a, "hover"); }, 150);
    });
    d.addEventListener("pointerout", function (e) {
      if (e.pointerType === "touch") return;
      var a = termLink(e.target);
      if (a && !a.contains(e.relatedTarget)) clearTimeout(openTimer);
      if (!link || mode !== "hover") return;
      var from = inCard(e.target) || link.contains(e.target);
      var to = inCard(e.relatedTarget) || link.contains(e.relatedTarget);
      if (from && !to) later(close, 300);
    });
    d.addEventListener("pointerdown", function (e) {
      pointer = e.pointerType;
      pressed = true;
      if (link && !inCard(e.target) && !link.contains(e.target)) close();
    });
    d.addEventListener("pointerup", function () { pressed = false; });
    d.addEventListener("pointercancel", function () { pressed = false; });
    d.addEventListener("focusin", function (e) {
      if (inCard(e.target)) { clearTimeout(closeTimer); return; }
      var a = termLink(e.target);
      if (a) open(a, pressed && pointer !== "touch" ? "hover" : "focus");
    });
    d.addEventListener("focusout", function (e) {
      if (!link || !(inCard(e.target) || link.contains(e.target))) return;
      var to = e.relatedTarget;
      if (!(inCard(to) || link.contains(to))) close();
    });
    d.addEventListener("click", function (e) {
      var a = termLink(e.target);
      if (!a) {
        if (link && !inCard(e.target)) close();
        return;
      }
      if (pointer !== "touch") return;
      if (tapped === a && link === a) return; // second tap: follow the link
      e.preventDefault();
      open(a, "tap");
      tapped = a;
    });
    d.addEventListener("keydown", function (e) {
      pointer = "";
      if (!link) return;
      var act = d.activeElement;
      if (e.key === "Escape" || e.key === "Esc") {
        if (inCard(act)) link.focus();
        close();
      } else if (e.key === "Tab" && !e.altKey && !e.ctrlKey && !e.metaKey) {
        if (act === link && !e.shiftKey) {
          e.preventDefault();
          parts.more.focus();
        } else if (act === parts.more) {
          var next = e.shiftKey ? link : nextAfter(link);
          if (next) { e.preventDefault(); next.focus(); }
        }
      }
    });
    window.addEventListener("resize", place);
  }

  fetch(base + "api/terms.json")
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (!data || !data.terms) return;
      index(data);
      listen();
    })
    .catch(function () {});
})();
