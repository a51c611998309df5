/* enquete.js: progressive enhancement only; every page works without it.
 * Keeps a draft of the questionnaire in localStorage as the attendee types
 * (restored after a reload or a discarded tab), clears it after a stored
 * submission, and guards against a double tap on submit. */
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; store.getItem("x"); } catch (e) { store = null; }

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

  var form = document.getElementById("questionnaire");
  if (form) {
    /* a fresh form takes the draft; a form the server sent back with the
     * answers (422, 409, 503...) is already the truth */
    if (form.getAttribute("data-fresh") === "1") restore(form);
    else save(form);
    form.addEventListener("input", function () { save(form); });
    form.addEventListener("change", function () { save(form); });
    form.addEventListener("submit", function (ev) {
      save(form);
      var b = form.querySelector("button[type=submit]");
      if (b && b.getAttribute("data-sent") === "1") { ev.preventDefault(); return; }
      if (b) {
        b.setAttribute("data-sent", "1");
        setTimeout(function () { b.removeAttribute("data-sent"); }, 8000);
      }
    });
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  var thanks = document.querySelector("[data-clear-draft]");
  if (thanks && store) {
    var path = location.pathname.replace(/\/thanks$/, "");
    try { store.removeItem(key(path)); } catch (e) { /* ignore */ }
  }
}());
