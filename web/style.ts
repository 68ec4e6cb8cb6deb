/** The web's look, shared by the Cloud Store, the Customer Portal and the Console. */

/** Plain CSS (inlined in the public pages, a stylesheet in the signed-in ones), colours with a contrast ratio of at least 4.5:1. */
export const STYLE = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --brand: #b34700; --line: #d6d6d6; --bg: #fff; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: #0b57a4; } a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #0b57a4; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 1; }
header.site { border-bottom: 4px solid var(--brand); padding: .75rem 1.5rem; display: flex; gap: 2rem; align-items: center; flex-wrap: wrap; }
header.site .brand { font-weight: 700; font-size: 1.2rem; color: var(--ink); text-decoration: none; }
header.site nav ul { list-style: none; display: flex; gap: 1.25rem; margin: 0; padding: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; list-style: none; padding: 0; }
.card { border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; }
.card h3 { margin: 0 0 .5rem; font-size: 1.05rem; }
.tag { display: inline-block; font-size: .8rem; padding: .1rem .5rem; border-radius: 1rem; border: 1px solid var(--muted); color: var(--muted); }
.tag.on { border-color: #1e6b2e; color: #1e6b2e; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; } caption { text-align: left; font-weight: 600; padding: .5rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .4rem .6rem; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
footer.site { border-top: 1px solid var(--line); padding: 1rem 1.5rem; color: var(--muted); font-size: .9rem; }
`;
