/* Glossary link previews for other sites: <script src="https://<glossary>/embed.js" defer></script>
 * Every link to a term of the glossary shows a card with its title, aliases, summary, formula and example
 * on hover, keyboard focus or tap. The card adds no Tab stop (the link itself opens the term); on touch,
 * the first tap shows it with "Open definition" and a close button. Colours follow the page's
 * prefers-color-scheme, or data-theme="light" / "dark" on the script tag.
 * No globals, no inline script or HTML, no stylesheet: works under a strict CSP. */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector('script[src*="embed.js"]');
  if (!script || !window.fetch || !window.URL || !window.Map) return;
  var base;
  try { base = new URL("./", script.src).href; } catch (e) { return; }
  if (!/^https?:$/.test(new URL(base).protocol)) return; // file:// cannot fetch: do nothing

  var terms = new Map();
  var card = null, parts = {}, link = null, mode = "", tapped = null, saved = null, source = "";
  var openTimer = 0, closeTimer = 0, pointer = "", pressed = false;
  var wanted = script.getAttribute("data-theme");
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var PALETTES = {
    light: { bg: "#fff", fg: "#1b1b1b", muted: "#555", border: "#8a8a8a", link: "#0645ad", box: "#f3f4f6", scheme: "light" },
    dark: { bg: "#1e2227", fg: "#e8eaed", muted: "#b3b9c2", border: "#6b7280", link: "#9cc7ff", box: "#2a2f36", scheme: "dark" }
  };

  // One key per address: no query, hash, trailing "index.html" or trailing slash.
  function key(href) {
    try {
      var u = new URL(href, base);
      return (u.origin + u.pathname).replace(/\/index\.html$/, "").replace(/\/$/, "");
    } catch (e) { return ""; }
  }

  function index(data) {
    var root = String(data.url || "");
    source = typeof data.title === "string" ? data.title : "";
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

  function palette() {
    if (wanted === "light" || wanted === "dark") return PALETTES[wanted];
    return PALETTES[darkQuery && darkQuery.matches ? "dark" : "light"];
  }

  function paint() {
    if (!card) return;
    var c = palette();
    css(card, { background: c.bg, color: c.fg, colorScheme: c.scheme, borderColor: c.border });
    css(parts.aliases, { color: c.muted });
    css(parts.source, { color: c.muted });
    css(parts.formula, { background: c.box });
    css(parts.example, { background: c.box });
    css(parts.more, { color: c.link });
    css(parts.close, { color: c.fg, borderColor: c.border });
  }

  function build() {
    var id = "glossary-preview";
    while (document.getElementById(id)) id = "glossary-preview-" + Math.random().toString(36).slice(2, 8);
    card = css(document.createElement("div"), {
      position: "absolute", zIndex: "2147483647", display: "none", boxSizing: "border-box",
      maxWidth: "22rem", padding: "12px 14px", margin: "0", textAlign: "left",
      border: "1px solid", borderRadius: "6px", boxShadow: "0 4px 18px rgba(0,0,0,.3)",
      font: "14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      letterSpacing: "normal", whiteSpace: "normal", overflowWrap: "break-word"
    });
    card.id = id;
    card.setAttribute("data-glossary-card", "");
    parts.close = make("button", card, {
      float: "right", width: "32px", height: "32px", margin: "-6px -8px 4px 8px", padding: "0", cursor: "pointer",
      font: "20px/1 system-ui, sans-serif", background: "transparent", border: "1px solid", borderRadius: "50%"
    });
    parts.close.type = "button";
    parts.close.textContent = "×";
    parts.close.setAttribute("aria-label", "Close");
    parts.close.tabIndex = -1;
    parts.close.addEventListener("click", function () { close(); });
    parts.title = make("strong", card, { display: "block", fontSize: "1.1em", fontWeight: "700", color: "inherit" });
    parts.aliases = make("span", card, { display: "block", marginTop: "2px", fontSize: ".9em" });
    parts.summary = make("p", card, { margin: "6px 0", padding: "0", color: "inherit", font: "inherit" });
    var box = { margin: "6px 0", padding: "4px 8px", borderRadius: "4px", font: "inherit", fontSize: ".92em" };
    parts.formula = make("p", card, box);
    parts.example = make("p", card, box);
    parts.more = make("a", card, {
      display: "inline-block", padding: "4px 0", textDecoration: "underline", fontWeight: "600", background: "none"
    });
    parts.more.textContent = "Open definition";
    parts.more.tabIndex = -1;  // the link in the page opens the same term: no second Tab stop
    parts.source = make("span", card, { display: "block", marginTop: "6px", fontSize: ".8em" });
    document.body.appendChild(card);
    paint();
    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", paint);
  }

  function labelled(el, label, text) {
    el.textContent = text ? label + text : "";
    el.style.display = text ? "block" : "none";
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
    if (link === a) { if (how !== "hover") setMode(how); return; }
    close();
    var t = terms.get(key(a.href));
    if (!t) return;
    if (!card) build();
    parts.title.textContent = t.title || "";
    var aliases = t.aliases || [];
    parts.aliases.textContent = aliases.length ? "Also: " + aliases.join(", ") : "";
    parts.aliases.style.display = aliases.length ? "block" : "none";
    parts.summary.textContent = t.summary || "";
    labelled(parts.formula, "Formula: ", typeof t.formula === "string" ? t.formula : "");
    labelled(parts.example, "Example: ", typeof t.example === "string" ? t.example : "");
    parts.source.textContent = source ? "From " + source : "";
    parts.more.href = new URL("terms/" + t.slug + "/", base).href;
    link = a;
    setMode(how);
    saved = a.getAttribute("aria-describedby");
    a.setAttribute("aria-describedby", saved ? saved + " " + card.id : card.id);
    place();
  }

  // Hover and focus show a tooltip; a tap shows a small dialog with "Open definition" and a close button.
  function setMode(how) {
    mode = how;
    var tap = how === "tap";
    card.setAttribute("role", tap ? "dialog" : "tooltip");
    if (tap) card.setAttribute("aria-label", parts.title.textContent); else card.removeAttribute("aria-label");
    parts.close.style.display = tap ? "block" : "none";
    parts.more.style.display = how === "focus" ? "none" : "inline-block";
    if (link) place();
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
      }
    });
    window.addEventListener("resize", place);
    // Inside a scrolling box the link moves without the page: follow it, and close once it is scrolled away.
    d.addEventListener("scroll", function (e) {
      if (!link || e.target === d || !e.target.contains || !e.target.contains(link)) return;
      var box = e.target.getBoundingClientRect(), r = link.getBoundingClientRect();
      if (r.bottom < box.top || r.top > box.bottom || r.right < box.left || r.left > box.right) close();
      else place();
    }, true);
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
