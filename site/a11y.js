/*
 * crkit course site: accessible names that the theme and the widget renderer leave out.
 *
 * Loaded on every page (course_site's Sphinx extension adds it; copied into
 * _build/html/_static/npm/). Widgets are drawn after the page loads, so the fixes run
 * again whenever the page changes.
 *
 * - Slider handles (role="slider") take the name of their widget's visible label.
 * - Buttons, links and summaries whose aria-label leaves out their visible text (the
 *   theme's search and colour-mode buttons, "Toggle hidden content") get a name that
 *   starts with that text, so what a learner sees is what a voice command can say.
 * - Empty header cells (a table's blank top-left corner) become ordinary cells.
 */
(function () {
  function text(el) {
    return (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim();
  }

  function fix(root) {
    root.querySelectorAll('[role="slider"]').forEach(function (handle) {
      if (handle.getAttribute("aria-label") || handle.getAttribute("aria-labelledby")) {
        return;
      }
      var box = handle.closest(".widget-slider, .jupyter-widget-slider, .widget-inline-hbox");
      var label = box && box.querySelector(".widget-label");
      var name = label && text(label);
      if (name) { handle.setAttribute("aria-label", name); }
    });
    root.querySelectorAll("button[aria-label], a[aria-label], summary[aria-label]")
      .forEach(function (el) {
        var seen = text(el), name = el.getAttribute("aria-label") || "";
        if (seen && name.toLowerCase().indexOf(seen.toLowerCase()) === -1) {
          el.setAttribute("aria-label", seen + " (" + name + ")");
        }
      });
    root.querySelectorAll("th").forEach(function (th) {
      if (text(th) || th.querySelector("img, svg")) { return; }
      var td = document.createElement("td");
      Array.prototype.forEach.call(th.attributes, function (a) {
        if (a.name !== "scope") { td.setAttribute(a.name, a.value); }
      });
      th.replaceWith(td);
    });
  }

  var pending = false;
  function later() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fix(document); });
  }

  function start() {
    fix(document);
    new MutationObserver(later).observe(document.body, { subtree: true, childList: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
