// Write plotly.js's own global style rules as a static stylesheet, so that the page can
// load them from 'self' and plotly.js skips injecting a <style> element (blocked by our CSP).
// Usage: node scripts/plotly-css.js static/vendor/plotly-4.1.1/plotly-basic.min.js > static/vendor/plotly-4.1.1/plotly.css
const fs = require("fs");
const source = fs.readFileSync(process.argv[2], "utf8");
const start = source.indexOf('{"X,X div"');
let depth = 0, end = start;
for (; end < source.length; end++) {
  if (source[end] === "{") depth++;
  if (source[end] === "}" && --depth === 0) break;
}
const rules = Function('"use strict"; return (' + source.slice(start, end + 1) + ");")();
const scope = { X: ".js-plotly-plot .plotly", Y: ".plotly-notifier" };
const out = ["/* plotly.js global styles, extracted from the bundle by scripts/plotly-css.js */"];
for (const [selector, body] of Object.entries(rules)) {
  const full = selector.replace(/\b[XY]\b/g, (k) => scope[k]);
  out.push(`${full}{${body}}`);
}
process.stdout.write(out.join("\n") + "\n");
