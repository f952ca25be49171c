"""The builder's stylesheet: calm colours, clear cards, text contrast of at least 4.5:1.

Inserted once at the top of the builder, so it works the same in JupyterLab, in a classic
notebook and in Voila. Colours follow GitHub's Primer palette.
"""

STYLE = """<style>
.crkit-builder { max-width: 1400px; color: #1f2328; }
.crkit-builder h2 { margin: 0 0 .2em 0; font-size: 1.55em; }
.crkit-builder h3 { margin: 1.1em 0 .3em 0; font-size: 1.2em; border-bottom: 2px solid #d0d7de;
  padding-bottom: .15em; }
.crkit-builder h4 { margin: .8em 0 .2em 0; font-size: 1.02em; }
.crkit-intro, .crkit-note { color: #424a53; font-size: .93em; line-height: 1.4;
  margin: .1em 0 .4em 0; }
.crkit-bar { border: 1px solid #d0d7de; border-radius: 8px; padding: .35em .7em; margin: .3em 0;
  background: #f6f8fa; }
.crkit-card { border: 1px solid #d0d7de; border-left: 4px solid #0969da; border-radius: 6px;
  padding: .3em .7em .5em .7em; margin: .35em 0 .6em 0; background: #ffffff; }
.crkit-relationship { border-left-color: #8250df; }
.crkit-channel { border-left-color: #1a7f37; }
.crkit-vp { border-left-color: #bf8700; }
.crkit-card-title { font-weight: 600; margin: 0 .8em 0 0; line-height: 2em; }
.crkit-group-label { text-align: right; padding: 4px 8px 0 0; line-height: 1.25; color: #1f2328; }
.crkit-score { position: sticky; top: .5em; align-self: flex-start; border: 1px solid #d0d7de;
  border-radius: 8px; padding: .4em .9em .8em .9em; background: #f6f8fa;
  max-height: calc(100vh - 1em); overflow-y: auto !important; }
.crkit-score > * { flex-shrink: 0; }
/* The score panel stays in view while the learner scrolls the forms: "sticky" needs every
   box between it and the page's scroller to let content overflow. */
.crkit-builder, .crkit-body { overflow: visible !important; }
.jp-OutputArea:has(.crkit-builder), .jp-OutputArea-child:has(.crkit-builder),
.jp-OutputArea-output:has(.crkit-builder) { overflow: visible !important; }
.crkit-total { font-size: 1.05em; margin: .2em 0; }
.crkit-total-number { font-size: 2.3em; font-weight: 700; color: #0a3069; }
.crkit-explain { font-size: .88em; color: #424a53; line-height: 1.35; margin: 0 0 .55em 0; }
.crkit-explain b { color: #1f2328; }
.crkit-best { background: #ddf4ff; border-left: 4px solid #0969da; padding: .4em .6em;
  border-radius: 4px; line-height: 1.4; }
.crkit-status { min-height: 1.6em; }
.crkit-status a { font-weight: 600; text-decoration: underline; margin-left: .4em; }
.crkit-problems { margin: .3em 0 0 1.2em; padding: 0; }
.crkit-error { background: #ffebe9; border-left: 4px solid #cf222e; color: #82071e;
  padding: .35em .6em; border-radius: 4px; }
.crkit-ok { background: #dafbe1; border-left: 4px solid #1a7f37; color: #116329;
  padding: .35em .6em; border-radius: 4px; }
.crkit-info { background: #f6f8fa; border-left: 4px solid #6e7781; padding: .35em .6em;
  border-radius: 4px; }
table.crkit-compare { border-collapse: collapse; margin-top: .4em; font-size: .92em; }
table.crkit-compare th, table.crkit-compare td { border: 1px solid #d0d7de; padding: .2em .55em; }
table.crkit-compare td.num { text-align: center; }
table.crkit-compare tr.total { font-weight: 700; background: #eef1f4; }
.crkit-builder .widget-label, .crkit-builder .widget-label-basic { color: #1f2328; }
.crkit-builder textarea { font-family: inherit; }
.crkit-criterion { display: flex; justify-content: space-between; margin-top: .3em; }
.crkit-criterion-score { font-weight: 700; margin-left: 1em; }
.crkit-add { align-self: flex-start; }
</style>"""
