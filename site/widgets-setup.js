/*
 * crkit course site: make the Jupyter widget renderer load everything from this site.
 *
 * Loaded (by myst-nb's nb_ipywidgets_js, see _config.yml) before RequireJS and the widget
 * renderer on every page that has saved widget state; copied by crkit.site into
 * _build/html/_static/npm/.
 *
 * - The renderer finds its fonts next to the AMD module it defines, so RequireJS is told
 *   (through the global `require` config object it reads when it loads) that those modules
 *   live in _static/npm/html-manager.
 * - Third-party widget modules would be fetched from the URL in a script tag's
 *   `data-jupyter-widgets-cdn` attribute (a CDN by default): point it at this site.
 * - ipywidgets 8 typesets widget labels with the MathJax 2 API (MathJax.Hub.Queue);
 *   Sphinx loads MathJax 3. A small bridge forwards those calls to typesetPromise.
 */
(function () {
  var me = document.currentScript;
  if (!me || !me.src) { return; }
  var here = function (path) { return new URL(path, me.src).href; };
  /* The renderer's bundled AMD modules take their public path (where their fonts are)
     from their RequireJS module URI: map each name into html-manager/, beside the fonts. */
  var paths = { "@jupyter-widgets/html-manager/dist": here("html-manager") };
  ["base", "base7", "controls", "controls7", "html-manager"].forEach(function (name) {
    paths["@jupyter-widgets/" + name] = here("html-manager/" + name);
  });
  window.require = { paths: paths };
  window.__jupyter_widgets_assets_path__ = here("html-manager/");
  me.setAttribute("data-jupyter-widgets-cdn", here("widget-modules/"));

  function typeset(element) {
    var mj = window.MathJax;
    var run = function () {
      var mj3 = window.MathJax;
      return mj3.typesetPromise ? mj3.typesetPromise(element ? [element] : undefined) : null;
    };
    var ready = mj.startup && mj.startup.promise ? mj.startup.promise : Promise.resolve();
    ready.then(run).catch(function (err) {
      console.warn("MathJax could not typeset a widget", err);
    });
  }
  function bridgeMathJax() {
    var mj = window.MathJax;
    if (!mj || mj.Hub || !mj.startup) { return; }  /* no MathJax 3 on this page */
    mj.Hub = {
      Queue: function () {
        for (var i = 0; i < arguments.length; i++) {
          var job = arguments[i];
          if (Array.isArray(job) && job[0] === "Typeset") { typeset(job[2]); }
        }
      }
    };
  }
  /* deferred scripts (MathJax) have run by DOMContentLoaded; widgets render on load */
  document.addEventListener("DOMContentLoaded", bridgeMathJax);
})();
