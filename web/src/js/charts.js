// ECharts glue: charts that dispose with their page and follow their box's
// size, the world map, and tooltip formatters. ECharts renders tooltip
// strings as HTML, so every formatter here escapes each data string it shows.
import { escapeHtml, fmtInt } from './dom.js';

const live = new Set();

export const COLORS = {
  positive: '#2f9e5b',
  neutral: '#a3acb9',
  negative: '#d64545',
  accent: '#3b6fd8',
  palette: ['#3b6fd8', '#e08a2c', '#2f9e5b', '#9b59b6', '#d64545', '#17a2b8', '#8c6d31', '#e377c2', '#7f7f7f',
    '#bcbd22'],
};

export function makeChart(el) {
  const chart = window.echarts.init(el, null, { renderer: 'canvas' });
  const ro = new ResizeObserver(() => chart.resize());
  ro.observe(el);
  live.add({ chart, ro });
  return chart;
}

// Called when the page changes: no chart outlives the DOM it draws in.
export function disposeCharts() {
  for (const { chart, ro } of live) {
    ro.disconnect();
    chart.dispose();
  }
  live.clear();
}

// Base options every chart shares: the palette, a tooltip that renders
// nothing it was not handed escaped, and room for axis labels.
export function baseOption(extra) {
  return {
    color: COLORS.palette,
    animation: false,
    textStyle: { fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif' },
    tooltip: { confine: true, trigger: 'item', formatter: itemTooltip },
    grid: { left: 48, right: 16, top: 36, bottom: 32, containLabel: true },
    ...extra,
  };
}

function dot(color) {
  // The colour comes from our own palette, never from data; keep it a plain CSS colour anyway.
  const safe = /^#[0-9a-f]{3,8}$/i.test(String(color)) ? color : '#999';
  return `<span class="tt-dot" style="background:${safe}"></span>`;
}

export function itemTooltip(p) {
  const value = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value;
  const name = p.name ? `${escapeHtml(p.name)}<br>` : '';
  const series = p.seriesName ? `${escapeHtml(p.seriesName)}: ` : '';
  return `${name}${dot(p.color)}${series}<b>${escapeHtml(typeof value === 'number' ? fmtInt(value) : value)}</b>`
    + (p.percent !== undefined ? ` (${escapeHtml(p.percent)}%)` : '');
}

// Axis tooltip for time series: the bucket, then one line per series.
export function axisTooltip(label, valueFmt = fmtInt) {
  return (params) => {
    const list = Array.isArray(params) ? params : [params];
    if (!list.length) return '';
    const head = escapeHtml(label(list[0]));
    const lines = list.map((p) => {
      const v = Array.isArray(p.value) ? p.value[1] : p.value;
      return `${dot(p.color)}${escapeHtml(p.seriesName)}: <b>${escapeHtml(valueFmt(v))}</b>`;
    });
    return [head, ...lines].join('<br>');
  };
}

let worldPromise = null;
let worldNames = new Map();

// Loads world.json (GeoJSON with properties {iso2, name}) once and registers it.
export function loadWorld() {
  if (!worldPromise) {
    worldPromise = fetch('world.json', { credentials: 'same-origin' })
      .then((r) => {
        if (!r.ok) throw new Error(`world.json: HTTP ${r.status}`);
        return r.json();
      })
      .then((geo) => {
        worldNames = new Map(geo.features.map((f) => [f.properties.iso2, f.properties.name]));
        window.echarts.registerMap('world', geo);
        return geo;
      })
      .catch((e) => {
        worldPromise = null;
        throw e;
      });
  }
  return worldPromise;
}

const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

export function countryName(iso2) {
  if (!iso2 || iso2 === 'unknown') return 'unknown';
  if (worldNames.has(iso2)) return worldNames.get(iso2);
  try {
    return regionNames?.of(iso2) || iso2;
  } catch {
    return iso2;
  }
}
