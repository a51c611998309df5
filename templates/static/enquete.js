/* enquete.js: progressive enhancement only; every page works without it.
 * - the questionnaire: a draft kept in localStorage as the attendee types
 *   (restored after a reload or a discarded tab, cleared after a stored
 *   submission), a guard against a double tap on submit, one section at a
 *   time with next and back buttons and a progress bar (still one form and
 *   one POST: the other sections are only hidden, their answers stay in
 *   the form), the section of the first error opened after a 422, and the
 *   "other (please specify)" box shown when its option is chosen;
 * - the print buttons (data-print): window.print(), since the CSP forbids
 *   inline handlers.
 * Button labels come from the page (data-t-* on <body>, from the i18n
 * catalogs), never from this file. */
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; store.getItem("x"); } catch (e) { store = null; }
  var session;
  try { session = window.sessionStorage; session.getItem("x"); } catch (e) { session = null; }

  function key(path) { return "enquete-draft:" + path; }

  function save(form) {
    if (!store) return;
    var data = [];
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!el.name || el.name.charAt(0) === "_" || el.type === "submit") continue;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) continue;
      data.push([el.name, el.value]);
    }
    try { store.setItem(key(form.getAttribute("data-draft")), JSON.stringify(data)); } catch (e) { /* full or denied */ }
  }

  function restore(form) {
    if (!store) return;
    var raw = store.getItem(key(form.getAttribute("data-draft")));
    if (!raw) return;
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    if (!Array.isArray(data)) return;
    data.forEach(function (pair) {
      if (!Array.isArray(pair) || pair.length !== 2) return;
      var els = form.elements.namedItem(pair[0]);
      if (!els) return;
      var list = els.length !== undefined && !els.tagName ? els : [els];
      for (var i = 0; i < list.length; i++) {
        var el = list[i];
        if (el.type === "radio" || el.type === "checkbox") {
          if (el.value === pair[1]) el.checked = true;
        } else if (el.tagName === "SELECT" || el.type === "text" || el.tagName === "TEXTAREA") {
          el.value = pair[1];
        }
      }
    });
  }

  function label(name, fallback) {
    var v = document.body.getAttribute("data-t-" + name);
    return v || fallback;
  }

  /* "Other (please specify)": the stylesheet hides the text box
   * <key>.other while the option "other" is not chosen and the box is
   * empty (so the page does not move when it loads); here the box is
   * marked while it holds text (never hide what was typed), and it takes
   * the focus when "other" is chosen. */
  function setupOther(form) {
    var boxes = form.querySelectorAll(".other-text");
    Array.prototype.forEach.call(boxes, function (box) {
      var input = box.querySelector("input, textarea");
      if (!input || !/\.other$/.test(input.name)) return;
      var name = input.name.slice(0, -6);
      var options = form.querySelectorAll("input[name=\"" + name + "\"]");
      var mark = function () { box.classList.toggle("has-text", input.value !== ""); };
      input.addEventListener("input", mark);
      mark();
      for (var j = 0; j < options.length; j++) {
        if (options[j].value !== "other") continue;
        options[j].addEventListener("change", function (ev) {
          if (ev.target.checked) input.focus();
        });
      }
    });
  }

  /* One section at a time. Returns an object whose show(i) opens section
   * i, or null when the form has a single section. */
  function setupPages(form) {
    var sections = form.querySelectorAll("section.form-section");
    var n = sections.length;
    if (n < 2) return null;
    var actions = form.querySelector(".actions");
    var privacy = form.querySelector("details.privacy");
    var pageKey = "enquete-page:" + form.getAttribute("data-draft");
    var current = 0;

    /* the progress bar is fixed at the bottom of the screen: nothing on
     * the page moves when it appears */
    form.classList.add("paged");
    var bar = document.createElement("div");
    bar.className = "form-progress";
    var text = document.createElement("p");
    text.className = "form-progress-text";
    text.id = "form-progress-text";
    text.setAttribute("aria-live", "polite");
    var meter = document.createElement("progress");
    meter.max = n;
    meter.setAttribute("aria-labelledby", "form-progress-text");
    bar.appendChild(text);
    bar.appendChild(meter);
    form.appendChild(bar);

    Array.prototype.forEach.call(sections, function (s, i) {
      var nav = document.createElement("div");
      nav.className = "page-nav";
      if (i > 0) {
        var back = document.createElement("button");
        back.type = "button";
        back.className = "secondary page-back";
        back.textContent = label("back", "Back");
        back.addEventListener("click", function () { show(i - 1, true); });
        nav.appendChild(back);
      }
      if (i < n - 1) {
        var next = document.createElement("button");
        next.type = "button";
        next.className = "page-next";
        next.textContent = label("next", "Next");
        next.addEventListener("click", function () { show(i + 1, true); });
        nav.appendChild(next);
      }
      s.appendChild(nav);
      var h = s.querySelector("h2");
      if (h) h.setAttribute("tabindex", "-1");
    });

    function show(i, move) {
      if (i < 0) i = 0;
      if (i > n - 1) i = n - 1;
      current = i;
      for (var k = 0; k < n; k++) sections[k].hidden = k !== i;
      var last = i === n - 1;
      if (actions) actions.hidden = !last;
      if (privacy) privacy.hidden = !last;
      var p = sections[i].querySelector(".progress");
      text.textContent = p ? p.textContent : (i + 1) + " / " + n;
      meter.value = i + 1;
      if (session) { try { session.setItem(pageKey, String(i)); } catch (e) { /* ignore */ } }
      if (move) {
        var h = sections[i].querySelector("h2");
        sections[i].scrollIntoView({ block: "start" });
        if (h) h.focus({ preventScroll: true });
      }
    }

    function sectionOf(el) {
      for (var k = 0; k < n; k++) if (sections[k].contains(el)) return k;
      return -1;
    }

    /* Enter in a text box of an earlier section moves on instead of
     * sending the form from the middle. */
    form.addEventListener("submit", function (ev) {
      if (current < n - 1) {
        ev.preventDefault();
        ev.stopImmediatePropagation();
        show(current + 1, true);
      }
    }, true);

    return {
      show: show,
      sectionOf: sectionOf,
      count: n,
      stored: function () {
        if (!session) return 0;
        var v = parseInt(session.getItem(pageKey) || "0", 10);
        return v >= 0 && v < n ? v : 0;
      },
      forget: function () { if (session) { try { session.removeItem(pageKey); } catch (e) { /* ignore */ } } }
    };
  }

  /* A page the server sent back with the answers (422, 409...) names the
   * POST it answers (data-posted: that POST's form token). Reloading it
   * sends the same POST again and brings back the same answers: the draft
   * saved on this page since then is newer, so it wins. The first time a
   * page is seen it is the truth (the caller saves it). */
  function reloadedPost(form) {
    var posted = form.getAttribute("data-posted");
    if (!store || !posted) return false;
    var k = "enquete-posted:" + form.getAttribute("data-draft");
    var seen = store.getItem(k) === posted && !!store.getItem(key(form.getAttribute("data-draft")));
    try { store.setItem(k, posted); } catch (e) { /* full or denied */ }
    if (seen) {
      /* the draft lists what is ticked: untick what the page ticked */
      for (var i = 0; i < form.elements.length; i++) {
        var el = form.elements[i];
        if (el.name && el.name.charAt(0) !== "_" && (el.type === "radio" || el.type === "checkbox")) el.checked = false;
      }
    }
    return seen;
  }

  var form = document.getElementById("questionnaire");
  if (form) {
    /* a fresh form takes the draft; a form the server sent back with the
     * answers (422, 409, 503...) is already the truth */
    if (form.getAttribute("data-fresh") === "1" || reloadedPost(form)) restore(form);
    else save(form);
    setupOther(form);
    var pages = setupPages(form);
    var summary = document.getElementById("error-summary");
    if (pages) {
      var firstBad = form.querySelector("[aria-invalid=\"true\"], .field-invalid");
      var start = firstBad ? pages.sectionOf(firstBad) : -1;
      if (start < 0) start = form.getAttribute("data-fresh") === "1" ? pages.stored() : 0;
      pages.show(start, false);
      /* a link of the error summary opens the section of its question */
      if (summary) {
        summary.addEventListener("click", function (ev) {
          var a = ev.target.closest ? ev.target.closest("a[href^=\"#\"]") : null;
          if (!a) return;
          var target = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
          if (!target) return;
          var k = pages.sectionOf(target);
          if (k >= 0) pages.show(k, false);
        });
      }
    }
    form.addEventListener("input", function () { save(form); });
    form.addEventListener("change", function () { save(form); });
    form.addEventListener("submit", function (ev) {
      save(form);
      var b = form.querySelector("button[type=submit]");
      if (b && b.getAttribute("data-sent") === "1") { ev.preventDefault(); return; }
      if (pages) pages.forget();
      if (b) {
        b.setAttribute("data-sent", "1");
        setTimeout(function () { b.removeAttribute("data-sent"); }, 8000);
      }
    });
    if (summary) summary.focus();
  }

  var thanks = document.querySelector("[data-clear-draft]");
  if (thanks && store) {
    var path = location.pathname.replace(/\/thanks$/, "");
    try { store.removeItem(key(path)); } catch (e) { /* ignore */ }
  }

  /* the console's live monitor (data-live: seconds): reloaded twice as
   * often as the page's Refresh header does without the script (the CSP
   * allows no fetch: connect-src is 'none') */
  var live = document.getElementById("live");
  if (live && live.getAttribute("data-live")) {
    var every = (parseInt(live.getAttribute("data-live"), 10) || 15) * 500;
    setTimeout(function () { location.reload(); }, every);
  }

  /* print buttons */
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
}());
