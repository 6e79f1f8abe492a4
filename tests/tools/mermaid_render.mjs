// Renders each Mermaid file given with Mermaid itself (in jsdom, whose SVG has no layout:
// text is measured as 8 px a character) and prints the "d" of every <path> drawn, one
// line each ("path <file> <d>"): for tests that check what is drawn, not only parsed.
import { JSDOM } from "jsdom";
import fs from "node:fs";
const dom = new JSDOM("<!DOCTYPE html><body></body>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
globalThis.CSSStyleSheet = dom.window.CSSStyleSheet;
const measure = function () {
  return { x: 0, y: 0, width: 8 * (this.textContent || "").length, height: 14 };
};
dom.window.SVGElement.prototype.getBBox = measure;
dom.window.SVGElement.prototype.getComputedTextLength = function () {
  return 8 * (this.textContent || "").length;
};
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
let n = 0;
for (const file of process.argv.slice(2)) {
  const { svg } = await mermaid.render(`chart${n++}`, fs.readFileSync(file, "utf8"));
  for (const m of svg.matchAll(/<path[^>]* d="([^"]*)"/g)) console.log(`path ${file} ${m[1]}`);
}
