// Bundles the bpmn-js viewer and modeler into service/static/dist (not committed; built by make).
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const out = 'service/static/dist';
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { viewer: 'assets/viewer.js', modeler: 'assets/modeler.js' },
  bundle: true, minify: true, format: 'iife', outdir: out, target: 'es2020',
  loader: { '.svg': 'text' }, logLevel: 'warning',
});
for (const [from, to] of [
  ['node_modules/bpmn-js/dist/assets', `${out}/bpmn-js`],
  ['node_modules/@bpmn-io/properties-panel/dist/assets', `${out}/properties-panel`],
]) {
  cpSync(from, to, { recursive: true });
}
console.log(`assets built into ${out}`);
