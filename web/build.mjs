// Builds the Earshot web UI into a directory of static files that `earshot
// serve` embeds (or serves with --web-dir):
//
//   node web/build.mjs OUTDIR
//
// OUTDIR gets index.html, style.css, js/** (plain ES modules, no bundler),
// echarts.min.js (copied from the echarts package), world.json (GeoJSON of
// the Natural Earth 110m countries from world-atlas, each feature with
// properties {iso2, name}) and licenses.txt (the licences of those two). The output depends only on the inputs: the same
// sources and packages give the same bytes.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const srcDir = path.join(here, 'src');
const modulesDir = path.join(here, 'node_modules');

function fail(message) {
  process.stderr.write(`web/build.mjs: ${message}\n`);
  process.exit(1);
}

const outArg = process.argv[2];
if (!outArg || process.argv.length > 3) fail('usage: node web/build.mjs OUTDIR');
const outDir = path.resolve(outArg);

const needed = ['echarts', 'world-atlas', 'topojson-client', 'i18n-iso-countries'];
for (const pkg of needed) {
  if (!fs.existsSync(path.join(modulesDir, pkg, 'package.json'))) {
    fail(`${path.join(modulesDir, pkg)} is missing: run scripts/setup-deps (it runs npm ci in web/)`);
  }
}
const require = createRequire(path.join(here, 'package.json'));
const topojson = require('topojson-client');
const countries = require('i18n-iso-countries');

// Files of src/ in a stable order (sorted, '/'-separated relative paths).
function listFiles(dir, base = dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, base));
    else if (entry.isFile()) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

// Natural Earth features whose ISO 3166-1 numeric id is missing in
// world-atlas (disputed or partly recognised): the codes the data uses, if any.
const NO_NUMERIC_ID = { Kosovo: 'XK' };

function round(coords) {
  if (typeof coords[0] === 'number') return coords.map((c) => Math.round(c * 1000) / 1000);
  return coords.map(round);
}

function worldGeoJson() {
  const topoPath = path.join(modulesDir, 'world-atlas', 'countries-110m.json');
  const topo = JSON.parse(fs.readFileSync(topoPath, 'utf8'));
  const fc = topojson.feature(topo, topo.objects.countries);
  const features = fc.features.map((f) => {
    const name = f.properties?.name || '';
    let iso2 = '';
    if (f.id !== undefined && f.id !== null && f.id !== '') iso2 = countries.numericToAlpha2(String(f.id)) || '';
    if (!iso2 && NO_NUMERIC_ID[name]) iso2 = NO_NUMERIC_ID[name];
    return {
      type: 'Feature',
      properties: { iso2, name },
      geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
    };
  });
  // Ordered by code then name, so the file does not depend on the package's order.
  features.sort((a, b) => {
    const ka = `${a.properties.iso2}\u0000${a.properties.name}`;
    const kb = `${b.properties.iso2}\u0000${b.properties.name}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return `${JSON.stringify({ type: 'FeatureCollection', features })}\n`;
}

// The licences of what the site ships (ECharts with ZRender and its d3
// parts, the world-atlas shapes of Natural Earth), served as licenses.txt.
function licenses() {
  const read = (...p) => fs.readFileSync(path.join(modulesDir, ...p), 'utf8').trimEnd();
  const version = (pkg) => JSON.parse(read(pkg, 'package.json')).version;
  const sections = [
    [`Apache ECharts ${version('echarts')} (echarts.min.js)`, read('echarts', 'NOTICE'), read('echarts', 'LICENSE')],
    ['d3.js parts of Apache ECharts', read('echarts', 'licenses', 'LICENSE-d3')],
    [`ZRender ${version('zrender')} (inside echarts.min.js)`, read('zrender', 'LICENSE')],
    [`world-atlas ${version('world-atlas')} (world.json, converted to GeoJSON)`, read('world-atlas', 'LICENSE'),
      'The shapes are Natural Earth\'s 1:110m Admin 0 countries (naturalearthdata.com), in the public domain.'],
  ];
  const rule = '='.repeat(78);
  return `${['Third-party software and data in the Earshot web UI', '',
    ...sections.map(([title, ...texts]) => [rule, title, rule, '', ...texts.flatMap((t) => [t, ''])].join('\n'))]
    .join('\n')}\n`;
}

// What the build owns in OUTDIR; removed first so that no stale file stays.
const OWNED = ['index.html', 'style.css', 'js', 'echarts.min.js', 'world.json', 'licenses.txt'];

function main() {
  if (!fs.existsSync(path.join(srcDir, 'index.html'))) fail(`${srcDir}/index.html is missing`);
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of OWNED) fs.rmSync(path.join(outDir, name), { recursive: true, force: true });

  const files = listFiles(srcDir);
  for (const rel of files) {
    const from = path.join(srcDir, ...rel.split('/'));
    const to = path.join(outDir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, fs.readFileSync(from));
  }
  fs.writeFileSync(path.join(outDir, 'echarts.min.js'),
    fs.readFileSync(path.join(modulesDir, 'echarts', 'dist', 'echarts.min.js')));
  fs.writeFileSync(path.join(outDir, 'world.json'), worldGeoJson());
  fs.writeFileSync(path.join(outDir, 'licenses.txt'), licenses());
  process.stdout.write(`web/build.mjs: wrote ${files.length + 3} files to ${outDir}\n`);
}

main();
