// The dashboard: GET /api/v1/report for a watch or a group (or everything)
// over a range, with channel / language / country filters. KPI cards with
// period comparison, volume and sentiment over time with spikes on the
// timeline, share of voice, channel and language mix, a world map, top
// sites and authors, influencers, emerging topics, cascades and spikes.
// Every chart and table row drills down to the mentions behind it.
import { api } from '../api.js';
import {
  h, replace, untrusted, fmtInt, fmtCompact, fmtPct, fmtChange, fmtSigned, fmtTime, fmtDate, select,
  messageBox, escapeHtml,
} from '../dom.js';
import { makeChart, baseOption, axisTooltip, COLORS, loadWorld, countryName, disposeCharts } from '../charts.js';
import { openDrawer, openMentionDrawer } from '../mentions.js';

const DAY = 86400000;
const HOUR = 3600000;

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayStart(ms) {
  return Math.floor(ms / DAY) * DAY;
}

// The scope of the page: one watch, one group, or every mention.
function scopeOf(params) {
  if (params.watch) return { watch: params.watch };
  if (params.group) return { group: params.group };
  return {};
}

function filtersOf(params) {
  const f = {};
  for (const k of ['channel', 'lang', 'country']) if (params[k]) f[k] = params[k];
  return f;
}

// The query language's field values: only simple tokens are turned into a
// query (quotes in a name would need escaping the language does not have).
function fieldQuery(field, value) {
  const v = String(value ?? '');
  if (/^[\p{L}\p{N}_.\-@]+$/u.test(v)) return `${field}:${v}`;
  if (!v.includes('"') && v.trim()) return `${field}:"${v}"`;
  return null;
}

function termQuery(term, kind) {
  const t = String(term ?? '');
  if (kind === 'hashtag' && /^[\p{L}\p{N}_]+$/u.test(t)) return `#${t}`;
  if (!t.includes('"') && t.trim()) return `"${t}"`;
  return null;
}

export async function render(main, params, { navigate }) {
  const scope = scopeOf(params);
  const filters = filtersOf(params);
  const query = { ...scope, ...filters, from: params.from, to: params.to, top: 10 };

  const msg = messageBox();
  const head = h('div', { class: 'page-head' }, h('h1', null, 'Dashboard'));
  const filterBar = h('div', { class: 'filters', id: 'filters' }, h('span', { class: 'muted' }, 'Loading…'));
  const body = h('div', { class: 'dashboard', id: 'dashboard', 'aria-busy': 'true' },
    h('p', { class: 'muted' }, 'Loading the report…'));
  replace(main, head, filterBar, msg, body);

  const [watchList, groups, stats] = await Promise.all([
    api('GET', '/watches'), api('GET', '/groups'), api('GET', '/stats').catch(() => null)]);
  renderFilters(filterBar, params, watchList, groups, stats, navigate);

  // Two requests: the sections the rollups answer come back in
  // milliseconds and are drawn at once; those that read mentions (spikes,
  // influencers, emerging topics, cascades, top authors) follow.
  let report;
  try {
    report = await api('GET', '/report', { query: { ...query, parts: 'rollups' } });
  } catch (e) {
    body.setAttribute('aria-busy', 'false');
    replace(body);
    msg.show(`Could not load the report: ${e.message}`);
    return;
  }
  // Without an explicit range the server chose one: show it in the date inputs.
  const fromIn = filterBar.querySelector('#f-from');
  const toIn = filterBar.querySelector('#f-to');
  if (fromIn && !fromIn.value) fromIn.value = isoDay(Date.parse(report.range.from));
  if (toIn && !toIn.value) toIn.value = isoDay(Date.parse(report.range.to) - DAY);
  const ctx = { scope, filters, params, navigate, watchList };
  renderReport(body, report, ctx);
  try {
    const more = await api('GET', '/report', { query: { ...query, parts: 'mentions' } });
    if (!body.isConnected) return;  // the user moved on
    disposeCharts();
    renderReport(body, { ...report, ...more }, ctx);
  } catch (e) {
    msg.show(`Could not load spikes, influencers and topics: ${e.message}`);
  }
  body.setAttribute('aria-busy', 'false');
  body.dataset.ready = 'true';
}

// ---------------------------------------------------------------------------
// Filter bar

function renderFilters(bar, params, watchList, groups, stats, navigate) {
  const scopeValue = params.watch ? `watch:${params.watch}` : params.group ? `group:${params.group}` : '';
  const scopeOptions = [{ value: '', label: 'All mentions' }];
  if (groups.length) {
    scopeOptions.push({ group: 'Groups (share of voice)',
      options: groups.map((g) => ({ value: `group:${g.name}`, label: g.name })) });
  }
  if (watchList.length) {
    scopeOptions.push({ group: 'Watches', options: watchList.map((w) => ({ value: `watch:${w.name}`, label: w.name })) });
  }
  const scopeSel = select(scopeOptions, scopeValue, { id: 'f-scope', 'aria-label': 'Watch or group' });

  const byChannel = stats?.by_channel || {};
  const byLang = stats?.by_language || {};
  const chSel = select([{ value: '', label: 'All channels' },
    ...Object.keys(byChannel).sort().map((c) => ({ value: c, label: c }))], params.channel || '',
  { id: 'f-channel', 'aria-label': 'Channel' });
  const langSel = select([{ value: '', label: 'All languages' },
    ...Object.keys(byLang).sort().map((l) => ({ value: l, label: l }))], params.lang || '',
  { id: 'f-lang', 'aria-label': 'Language' });
  const country = h('input', { id: 'f-country', 'aria-label': 'Country (two letters)', placeholder: 'Country',
    maxlength: 2, value: params.country || '', class: 'short' });

  // Dates: the inputs show inclusive days; the API range is half-open, so
  // `to` in the URL is the day after the last day shown.
  const fromIn = h('input', { type: 'date', id: 'f-from', 'aria-label': 'From', value: params.from || '' });
  const toIn = h('input', { type: 'date', id: 'f-to', 'aria-label': 'To (inclusive)',
    value: params.to ? isoDay(Date.parse(params.to) - DAY) : '' });

  // Presets end at the end of the newest data's day (live data: today).
  const lastMs = stats?.last ? Date.parse(stats.last) : Date.now();
  const endMs = dayStart(Number.isNaN(lastMs) ? Date.now() : lastMs) + DAY;
  const presets = [7, 30, 90].map((n) => {
    const b = h('button', { type: 'button', class: 'preset', dataset: { days: n } }, `${n} d`);
    const from = isoDay(endMs - n * DAY);
    const to = isoDay(endMs);
    if (params.from === from && params.to === to) b.classList.add('active');
    b.addEventListener('click', () => go({ from, to }));
    return b;
  });

  function current() {
    const p = {};
    const [kind, ...rest] = scopeSel.value.split(':');
    if (kind === 'watch' || kind === 'group') p[kind] = rest.join(':');
    if (fromIn.value) p.from = fromIn.value;
    if (toIn.value) p.to = isoDay(Date.parse(toIn.value) + DAY);
    if (chSel.value) p.channel = chSel.value;
    if (langSel.value) p.lang = langSel.value;
    const cc = country.value.trim().toUpperCase();
    if (/^[A-Z]{2}$/.test(cc)) p.country = cc;
    return p;
  }
  function go(over) {
    navigate('dashboard', { ...current(), ...over });
  }
  for (const el of [scopeSel, chSel, langSel, fromIn, toIn]) el.addEventListener('change', () => go({}));
  country.addEventListener('change', () => go({}));
  const reset = h('button', { type: 'button', class: 'link' }, 'Reset');
  reset.addEventListener('click', () => navigate('dashboard', {}));

  replace(bar,
    h('div', { class: 'fgroup' }, scopeSel),
    h('div', { class: 'fgroup dates' }, fromIn, h('span', { class: 'muted' }, '–'), toIn, presets),
    h('div', { class: 'fgroup' }, chSel, langSel, country),
    reset);
}

// ---------------------------------------------------------------------------
// The report

function renderReport(body, r, ctx) {
  const total = r.comparison?.current?.total || sumVolume(r.volume);
  const rangeText = `${fmtDate(r.range.from)} – ${fmtDate(Date.parse(r.range.to) - 1)} · by ${r.range.grain}`;
  const scopeText = ctx.scope.watch ? `Watch ${ctx.scope.watch}` : ctx.scope.group ? `Group ${ctx.scope.group}`
    : 'All mentions';
  const parts = [];
  parts.push(h('div', { class: 'range-line' }, h('strong', null, untrusted(scopeText, { limit: 80 })),
    h('span', { class: 'muted' }, ` · ${rangeText}`),
    ...Object.entries(ctx.filters).map(([k, v]) => h('span', { class: 'chip filter' }, `${k}: `, untrusted(v)))));

  if (!total.count) {
    parts.push(h('div', { class: 'card empty-state' },
      h('p', null, 'No mentions in this range.'),
      h('p', { class: 'muted' }, 'Widen the range, choose another watch, or add sources and upload data on the ',
        h('a', { href: '#/sources' }, 'Sources'), ' page.')));
  }
  parts.push(kpis(r));
  const grid = h('div', { class: 'grid' });
  parts.push(grid);
  replace(body, ...parts);

  const drill = (title, extra) => openDrawer(title, { ...ctx.scope, ...ctx.filters, from: r.range.from,
    to: r.range.to, ...extra });
  const cards = [];
  cards.push(volumeCard(r, ctx, drill));
  cards.push(...sovCards(r, ctx, drill));
  cards.push(channelCard(r, drill));
  cards.push(mapCard(r, drill));
  cards.push(languageCard(r, drill));
  cards.push(spikesCard(r, ctx));
  cards.push(sitesCard(r, drill));
  cards.push(authorsCard(r, drill));
  cards.push(emergingCard(r, drill));
  cards.push(influencersCard(r, drill));
  cards.push(sourcesCard(r, drill));
  cards.push(cascadesCard(r));
  for (const c of cards) if (c) grid.appendChild(c.el);
  // Charts are initialised once their boxes are in the document and sized.
  for (const c of cards) if (c && c.init) c.init();
}

function sumVolume(volume) {
  const t = { count: 0, positive: 0, negative: 0, neutral: 0, reach: 0, engagement: 0 };
  for (const b of volume || []) for (const k of Object.keys(t)) t[k] += b[k] || 0;
  t.net_sentiment = t.count ? (t.positive - t.negative) / t.count : 0;
  return t;
}

function card(title, { id, cls = '', note } = {}, ...children) {
  const el = h('section', { class: `card ${cls}`, id }, h('header', null, h('h2', null, title),
    note ? h('span', { class: 'muted small' }, note) : null), ...children);
  for (const chart of el.querySelectorAll('.chart')) chart.setAttribute('aria-label', `${title} (chart)`);
  return el;
}

function chartBox(id, cls = '') {
  return h('div', { class: `chart ${cls}`, id, role: 'img' });
}

// ---------------------------------------------------------------------------
// KPI cards with period comparison

function kpis(r) {
  const c = r.comparison || {};
  const cur = c.current?.total || sumVolume(r.volume);
  const prev = c.previous?.total;
  const yago = c.year_ago?.total;
  const vp = c.change_vs_previous || {};
  const vy = c.change_vs_year_ago || {};
  const netDelta = (other) => (other && other.count ? cur.net_sentiment - other.net_sentiment : null);
  const items = [
    { key: 'count', label: 'Mentions', value: cur.count, text: fmtInt(cur.count), vsPrev: vp.count, vsYear: vy.count,
      prev: prev?.count, year: yago?.count },
    { key: 'net_sentiment', label: 'Net sentiment', value: cur.net_sentiment,
      text: fmtSigned((cur.net_sentiment || 0) * 100, 1), unit: 'pts',
      // A period without mentions has no net sentiment to compare with (the API still gives a delta against 0).
      vsPrev: prev?.count ? (vp.net_sentiment_delta ?? netDelta(prev)) : null,
      vsYear: yago?.count ? (vy.net_sentiment_delta ?? netDelta(yago)) : null, points: true,
      prev: prev?.count ? prev.net_sentiment : null, year: yago?.count ? yago.net_sentiment : null },
    { key: 'reach', label: 'Reach', value: cur.reach, text: fmtCompact(cur.reach), vsPrev: vp.reach, vsYear: vy.reach,
      prev: prev?.reach, year: yago?.reach },
    { key: 'engagement', label: 'Engagement', value: cur.engagement, text: fmtCompact(cur.engagement),
      vsPrev: vp.engagement, vsYear: vy.engagement, prev: prev?.engagement, year: yago?.engagement },
    { key: 'positive', label: 'Positive', value: cur.positive, text: fmtInt(cur.positive),
      sub: cur.count ? fmtPct(cur.positive / cur.count) : '', vsPrev: vp.positive, vsYear: vy.positive,
      cls: 'sent-positive' },
    { key: 'negative', label: 'Negative', value: cur.negative, text: fmtInt(cur.negative),
      sub: cur.count ? fmtPct(cur.negative / cur.count) : '', vsPrev: vp.negative, vsYear: vy.negative,
      cls: 'sent-negative', invert: true },
  ];
  return h('div', { class: 'kpis', id: 'kpis' }, items.map((k) => {
    const delta = (x, label) => {
      let text;
      let dir = 0;
      if (k.points) {
        text = x === null || x === undefined ? 'n/a' : `${fmtSigned(x * 100, 1)} pts`;
        dir = x > 0.0005 ? 1 : x < -0.0005 ? -1 : 0;
      } else {
        text = fmtChange(x);
        dir = x > 0 ? 1 : x < 0 ? -1 : 0;
      }
      const good = k.invert ? -dir : dir;
      return h('div', { class: `delta ${good > 0 ? 'up' : good < 0 ? 'down' : 'flat'}` },
        h('span', { class: 'arrow', 'aria-hidden': 'true' }, dir > 0 ? '▲' : dir < 0 ? '▼' : '•'), ` ${text} `,
        h('span', { class: 'muted' }, label));
    };
    return h('div', { class: `kpi ${k.cls || ''}`, dataset: { kpi: k.key, value: k.value ?? '' } },
      h('div', { class: 'kpi-label' }, k.label),
      h('div', { class: 'kpi-value' }, k.text, k.sub ? h('span', { class: 'kpi-sub' }, ` ${k.sub}`) : null),
      delta(k.vsPrev, 'vs previous period'),
      delta(k.vsYear, 'vs a year earlier'));
  }));
}

// ---------------------------------------------------------------------------
// Volume and sentiment over time, spikes on the timeline

function bucketEnd(r, t) {
  const step = r.range.grain === 'hour' ? HOUR : DAY;
  return Math.min(Date.parse(t) + step, Date.parse(r.range.to));
}

function bucketLabel(r, t) {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  const iso = d.toISOString();
  return r.range.grain === 'hour' ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

// The buckets a spike covers: [first index, last index].
function spikeBuckets(r, spike) {
  const vol = r.volume || [];
  const s = Date.parse(spike.start);
  const e = Date.parse(spike.end);
  let first = -1;
  let last = -1;
  vol.forEach((b, i) => {
    const bs = Date.parse(b.t);
    const be = bucketEnd(r, b.t);
    if (bs < e && be > s) {
      if (first < 0) first = i;
      last = i;
    }
  });
  return first < 0 ? null : [first, last];
}

function volumeCard(r, ctx, drill) {
  const vol = r.volume || [];
  const spikes = (r.spikes || []).map((s) => ({ ...s, buckets: spikeBuckets(r, s) })).filter((s) => s.buckets);
  const box = chartBox('chart-volume', 'tall');
  const el = card('Volume and sentiment over time', { id: 'card-volume', cls: 'span-2',
    note: spikes.length ? `${spikes.length} spike${spikes.length > 1 ? 's' : ''} marked · click a bar for its mentions`
      : 'click a bar for its mentions' }, box);
  const init = () => {
    const chart = makeChart(box);
    const cats = vol.map((b) => b.t);
    const series = ['positive', 'neutral', 'negative'].map((k) => ({
      name: k, type: 'bar', stack: 'v', barMaxWidth: 28, itemStyle: { color: COLORS[k] },
      emphasis: { focus: 'none' }, data: vol.map((b) => b[k] || 0),
    }));
    // Spikes: a shaded area over their buckets and a pin on the first one.
    series[0].markArea = {
      silent: true,
      itemStyle: { color: 'rgba(214, 69, 69, 0.10)' },
      data: spikes.map((s) => [{ xAxis: cats[s.buckets[0]] }, { xAxis: cats[s.buckets[1]] }]),
    };
    series.push({
      name: 'Net sentiment', type: 'line', yAxisIndex: 1, smooth: true, symbol: 'none',
      lineStyle: { width: 1.5, color: '#555' }, itemStyle: { color: '#555' },
      data: vol.map((b) => (b.count ? Math.round(((b.positive - b.negative) / b.count) * 1000) / 10 : null)),
      markPoint: {
        symbol: 'pin', symbolSize: 34, itemStyle: { color: COLORS.negative },
        label: { formatter: '!', color: '#fff', fontWeight: 'bold' },
        data: spikes.map((s) => ({ coord: [cats[s.buckets[0]], 100], name: 'spike' })),
      },
    });
    const spikesAt = (i) => spikes.filter((s) => i >= s.buckets[0] && i <= s.buckets[1]);
    chart.setOption(baseOption({
      legend: { top: 0, left: 0, data: ['positive', 'neutral', 'negative', 'Net sentiment'] },
      grid: { left: 48, right: 16, top: spikes.length ? 64 : 52, bottom: 32, containLabel: true },
      tooltip: {
        trigger: 'axis', confine: true, axisPointer: { type: 'shadow' },
        formatter: (ps) => {
          const list = Array.isArray(ps) ? ps : [ps];
          const i = list[0]?.dataIndex ?? 0;
          const b = vol[i] || {};
          const base = axisTooltip(() => bucketLabel(r, b.t), (v) => (v === null || v === undefined ? '—'
            : String(v)))(list);
          const extra = [`Total: <b>${escapeHtml(fmtInt(b.count))}</b> · reach ${escapeHtml(fmtCompact(b.reach))}`];
          for (const s of spikesAt(i)) {
            extra.push(`<span class="tt-spike">Spike (${escapeHtml(s.watch)}, ${escapeHtml(s.direction)}): `
              + `${escapeHtml(s.reason)}</span>`);
          }
          return `${base}<br>${extra.join('<br>')}`;
        },
      },
      xAxis: { type: 'category', data: cats, axisLabel: { formatter: (t) => bucketLabel(r, t) } },
      yAxis: [{ type: 'value', name: 'mentions', minInterval: 1 },
        { type: 'value', name: 'net', min: -100, max: 100, splitLine: { show: false } }],
      series,
    }));
    // A click anywhere in a bucket's column opens that bucket's mentions.
    chart.getZr().on('click', (e) => {
      const px = [e.offsetX, e.offsetY];
      if (!chart.containPixel({ gridIndex: 0 }, px)) return;
      const [i] = chart.convertFromPixel({ seriesIndex: 0 }, px);
      const b = vol[i];
      if (!b) return;
      drill(`Mentions on ${bucketLabel(r, b.t)}`, { from: new Date(Date.parse(b.t)).toISOString(),
        to: new Date(bucketEnd(r, b.t)).toISOString() });
    });
    box.dataset.ready = 'true';
  };
  return { el, init };
}

// ---------------------------------------------------------------------------
// Share of voice

function sovCards(r, ctx, drill) {
  const all = r.share_of_voice || [];
  if (!all.length) return [];
  let chosen = null;
  if (ctx.scope.group) chosen = all.find((g) => g.group === ctx.scope.group);
  if (!chosen && ctx.scope.watch) {
    const w = ctx.watchList.find((x) => x.name === ctx.scope.watch);
    chosen = all.find((g) => g.group === w?.group);
  }
  if (!chosen && ctx.params.sov) chosen = all.find((g) => g.group === ctx.params.sov);
  if (!chosen) chosen = all[0];

  const groupSel = all.length > 1 && !ctx.scope.group
    ? select(all.map((g) => ({ value: g.group, label: g.group })), chosen.group, { id: 'sov-group',
      'aria-label': 'Group' })
    : null;
  groupSel?.addEventListener('change', () => ctx.navigate('dashboard', { ...ctx.params, sov: groupSel.value }));

  const pieBox = chartBox('chart-sov-pie');
  const seriesBox = chartBox('chart-sov-series', 'fill');
  const comp = r.comparison?.share_of_voice?.[chosen.group] || {};
  // An earlier period whose shares are all zero had no mentions: no change to show.
  const had = (k) => Object.values(comp).some((c) => (c?.[k] || 0) > 0);
  const hadPrev = had('previous');
  const hadYear = had('year_ago');
  const rows = chosen.members.map((m) => {
    const c = comp[m.watch] || {};
    const d = (x, ok) => (!ok || x === undefined || x === null ? '—' : fmtSigned((c.current - x) * 100, 1));
    return h('tr', null, h('td', { class: 'nowrap' }, untrusted(m.watch, { limit: 60 })),
      h('td', { class: 'num' }, fmtPct(m.share)),
      h('td', { class: 'num' }, fmtInt(m.count)), h('td', { class: 'num' }, fmtPct(m.reach_share)),
      h('td', { class: 'num' }, fmtPct(m.positive_share)), h('td', { class: 'num' }, fmtPct(m.negative_share)),
      h('td', { class: 'num' }, d(c.previous, hadPrev)), h('td', { class: 'num' }, d(c.year_ago, hadYear)));
  });
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('thead', null, h('tr', null, [['watch'], ['share', 'share of the group\'s mentions'], ['mentions'],
      ['reach', 'share of the group\'s reach'], ['pos.', 'share of the group\'s positive mentions'],
      ['neg.', 'share of the group\'s negative mentions'], ['Δ prev', 'share change vs the previous period, points'],
      ['Δ year', 'share change vs a year earlier, points']]
      .map(([t, title], i) => h('th', { class: i ? 'num' : null, title }, t)))),
    h('tbody', null, rows)));
  const el1 = card('Share of voice', { id: 'card-sov', note: `group ${chosen.group}` },
    groupSel, pieBox, table);
  const el2 = card('Share of voice over time', { id: 'card-sov-series', note: 'share of the group\'s mentions' },
    seriesBox);

  const init = () => {
    const pie = makeChart(pieBox);
    pie.setOption(baseOption({
      legend: { type: 'scroll', bottom: 0 },
      series: [{ type: 'pie', radius: ['38%', '68%'], center: ['50%', '45%'], avoidLabelOverlap: true,
        label: { formatter: (p) => `${p.name} ${p.percent}%` },
        data: chosen.members.map((m) => ({ name: m.watch, value: m.count })) }],
    }));
    pie.on('click', (p) => {
      if (p.componentType !== 'series') return;
      drill(`Mentions of ${p.name}`, { watch: p.name, group: undefined });
    });
    pieBox.dataset.ready = 'true';

    const s = makeChart(seriesBox);
    const cats = (chosen.series || []).map((b) => b.t);
    s.setOption(baseOption({
      legend: { type: 'scroll', top: 0 },
      tooltip: { trigger: 'axis', confine: true, formatter: axisTooltip((p) => bucketLabel(r, cats[p.dataIndex]),
        (v) => `${(v ?? 0).toFixed(1)}%`) },
      xAxis: { type: 'category', data: cats, boundaryGap: false, axisLabel: { formatter: (t) => bucketLabel(r, t) } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: chosen.members.map((m) => ({
        name: m.watch, type: 'line', stack: 'sov', areaStyle: { opacity: 0.5 }, symbol: 'circle', symbolSize: 5,
        triggerLineEvent: true, lineStyle: { width: 1 },
        data: (chosen.series || []).map((b) => Math.round((b.shares?.[m.watch] || 0) * 1000) / 10),
      })),
    }));
    s.on('click', (p) => {
      if (p.componentType !== 'series' || p.dataIndex === undefined) return;
      const t = cats[p.dataIndex];
      drill(`${p.seriesName} on ${bucketLabel(r, t)}`, { watch: p.seriesName, group: undefined,
        from: new Date(Date.parse(t)).toISOString(), to: new Date(bucketEnd(r, t)).toISOString() });
    });
    seriesBox.dataset.ready = 'true';
  };
  return [{ el: el1, init }, { el: el2 }];
}

// ---------------------------------------------------------------------------
// Channels, languages, countries

function channelCard(r, drill) {
  const entries = Object.entries(r.channels || {}).sort((a, b) => b[1].count - a[1].count);
  const box = chartBox('chart-channels');
  const el = card('Channel mix', { id: 'card-channels', note: 'by sentiment' }, box);
  const init = () => {
    const chart = makeChart(box);
    const names = entries.map(([k]) => k);
    chart.setOption(baseOption({
      legend: { top: 0 },
      tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' },
        formatter: axisTooltip((p) => p.name) },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: names, inverse: true },
      series: ['positive', 'neutral', 'negative'].map((k) => ({ name: k, type: 'bar', stack: 'c',
        itemStyle: { color: COLORS[k] }, barMaxWidth: 22, data: entries.map(([, v]) => v[k] || 0) })),
    }));
    chart.on('click', (p) => {
      if (p.componentType !== 'series') return;
      drill(`Mentions on ${p.name}`, { channel: p.name });
    });
    box.dataset.ready = 'true';
  };
  return { el, init };
}

function languageCard(r, drill) {
  const entries = Object.entries(r.languages || {}).sort((a, b) => b[1].count - a[1].count).slice(0, 15);
  const box = chartBox('chart-langs');
  const el = card('Languages', { id: 'card-langs' }, box);
  const init = () => {
    const chart = makeChart(box);
    chart.setOption(baseOption({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: entries.map(([k]) => k), inverse: true },
      series: [{ name: 'mentions', type: 'bar', barMaxWidth: 18, itemStyle: { color: COLORS.accent },
        data: entries.map(([, v]) => v.count) }],
    }));
    chart.on('click', (p) => {
      if (p.componentType !== 'series') return;
      drill(`Mentions in ${p.name}`, { lang: p.name });
    });
    box.dataset.ready = 'true';
  };
  return { el, init };
}

function mapCard(r, drill) {
  const entries = Object.entries(r.countries || {}).filter(([k]) => k && k !== 'unknown');
  const unknown = (r.countries?.unknown?.count || 0) + (r.countries?.['']?.count || 0);
  const box = chartBox('chart-map', 'tall');
  const top = entries.slice().sort((a, b) => b[1].count - a[1].count).slice(0, 8);
  const list = h('ol', { class: 'country-list' }, top.map(([k, v]) => {
    const li = h('li', null, h('button', { type: 'button', class: 'link', dataset: { country: k } },
      untrusted(countryName(k), { limit: 60 })), h('span', { class: 'num' }, fmtInt(v.count)));
    li.querySelector('button').addEventListener('click', () => drill(`Mentions from ${countryName(k)}`,
      { country: k }));
    return li;
  }));
  const el = card('Conversation by country', { id: 'card-map', cls: 'span-2',
    note: unknown ? `${fmtInt(unknown)} mentions without a known country` : 'click a country for its mentions' },
  h('div', { class: 'map-wrap' }, box, list));
  const init = async () => {
    try {
      await loadWorld();
    } catch (e) {
      box.appendChild(h('p', { class: 'msg error' }, `World map unavailable: ${e.message}`));
      return;
    }
    if (!box.isConnected) return;
    const chart = makeChart(box);
    const max = Math.max(1, ...entries.map(([, v]) => v.count));
    chart.setOption(baseOption({
      tooltip: { trigger: 'item', confine: true, formatter: (p) => {
        const v = p.data?.value;
        return `${escapeHtml(countryName(p.name))}<br><b>${escapeHtml(v ? fmtInt(v) : '0')}</b> mentions`
          + (p.data?.net !== undefined ? `<br>net sentiment ${escapeHtml(fmtSigned(p.data.net * 100, 1))}` : '');
      } },
      visualMap: { min: 0, max, left: 8, bottom: 8, calculable: false, itemHeight: 90,
        inRange: { color: ['#dbe6fb', '#3b6fd8', '#1a3a80'] }, text: ['more', 'fewer'] },
      series: [{ type: 'map', map: 'world', nameProperty: 'iso2', roam: false, zoom: 1.15, top: 8, bottom: 8,
        selectedMode: false, itemStyle: { areaColor: '#f1f3f6', borderColor: '#c4cad3', borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: '#e08a2c' } },
        data: entries.map(([k, v]) => ({ name: k, value: v.count, net: v.net_sentiment })) }],
    }));
    chart.on('click', (p) => {
      if (p.componentType !== 'series' || !p.data || !p.data.value) return;
      drill(`Mentions from ${countryName(p.name)}`, { country: p.name });
    });
    box.dataset.ready = 'true';
  };
  return { el, init };
}

// ---------------------------------------------------------------------------
// Tables

function table(headers, rows, { id, numeric = [] } = {}) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', id },
    h('thead', null, h('tr', null, headers.map((t, i) => h('th', { class: numeric.includes(i) ? 'num' : null }, t)))),
    h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: headers.length, class: 'muted' },
      'Nothing in this range.')))));
}

// A table row that drills down on click (and on Enter for keyboard users).
function drillRow(cells, onOpen, numeric = []) {
  const tr = h('tr', { class: onOpen ? 'clickable' : null, tabindex: onOpen ? '0' : null },
    cells.map((c, i) => h('td', { class: numeric.includes(i) ? 'num' : null }, c)));
  if (onOpen) {
    tr.addEventListener('click', (e) => {
      if (e.target.closest('a')) return;
      onOpen();
    });
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') onOpen();
    });
  }
  return tr;
}

function sitesCard(r, drill) {
  const rows = (r.sites || []).map((s) => {
    const q = fieldQuery('site', s.site);
    return drillRow([untrusted(s.site, { limit: 80 }), fmtInt(s.count), fmtCompact(s.reach),
      fmtSigned(s.net_sentiment * 100, 1)], q ? () => drill(`Mentions on ${s.site}`, { q }) : null, [1, 2, 3]);
  });
  return { el: card('Top sites', { id: 'card-sites' }, table(['site', 'mentions', 'reach', 'net'], rows,
    { id: 'top-sites', numeric: [1, 2, 3] })) };
}

function authorsCard(r, drill) {
  const rows = (r.authors || []).map((a) => {
    const q = fieldQuery('author', a.author);
    return drillRow([untrusted(a.author, { limit: 80 }), fmtInt(a.mentions), fmtCompact(a.followers),
      fmtInt(a.engagement)], q ? () => drill(`Mentions by ${a.author}`, { q }) : null, [1, 2, 3]);
  });
  return { el: card('Top authors', { id: 'card-authors', note: 'by mentions' },
    table(['author', 'mentions', 'followers', 'engagement'], rows, { id: 'top-authors', numeric: [1, 2, 3] })) };
}

function influencersCard(r, drill) {
  const rows = (r.influencers || []).map((a) => {
    const q = fieldQuery('author', a.author);
    return drillRow([untrusted(a.author, { limit: 80 }), untrusted(a.source, { limit: 30 }), a.score.toFixed(2),
      fmtCompact(a.reach), fmtInt(a.mentions)], q ? () => drill(`Mentions by ${a.author}`, { q }) : null, [2, 3, 4]);
  });
  return { el: card('Top influencers', { id: 'card-influencers', note: 'reach × engagement × network × focus' },
    table(['author', 'source', 'score', 'reach', 'mentions'], rows, { id: 'influencers', numeric: [2, 3, 4] })) };
}

function sourcesCard(r, drill) {
  const rows = (r.sources || []).map((s) => {
    const q = fieldQuery('site', s.site);
    return drillRow([untrusted(s.site, { limit: 80 }), s.score.toFixed(3), fmtInt(s.inbound_links),
      fmtInt(s.inbound_reshares), fmtInt(s.mentions)], q ? () => drill(`Mentions on ${s.site}`, { q }) : null,
    [1, 2, 3, 4]);
  });
  return { el: card('Influential sources', { id: 'card-sources', note: 'linked to and reshared' },
    table(['site', 'score', 'links in', 'reshares', 'mentions'], rows, { id: 'sources-table',
      numeric: [1, 2, 3, 4] })) };
}

function emergingCard(r, drill) {
  const rows = (r.emerging || []).map((e) => {
    const q = termQuery(e.term, e.kind);
    const label = e.kind === 'hashtag' ? `#${e.term}` : e.term;
    return drillRow([untrusted(label, { limit: 80 }), e.kind, fmtInt(e.recent), fmtInt(e.baseline),
      `×${e.ratio.toFixed(1)}`], q ? () => drill(`Mentions of ${label}`, { q }) : null, [2, 3, 4]);
  });
  return { el: card('Emerging topics', { id: 'card-emerging', note: 'the last day against the rest' },
    table(['term', 'kind', 'last day', 'before', 'rise'], rows, { id: 'emerging', numeric: [2, 3, 4] })) };
}

function spikesCard(r, ctx) {
  const spikes = r.spikes || [];
  if (!spikes.length) return null;
  const rows = spikes.map((s) => drillRow([
    untrusted(s.watch, { limit: 60 }), fmtTime(s.start),
    h('span', { class: `badge ${s.tone === 'negative' ? 'sent-negative' : s.tone === 'positive' ? 'sent-positive'
      : 'channel'}` }, s.direction === 'up' ? (s.tone && s.tone !== 'none' ? s.tone : 'volume') : s.direction),
    `${fmtInt(s.observed)} vs ${s.expected.toFixed(1)}`, untrusted(s.reason, { limit: 400, cls: 'reason' }),
  ], () => openDrawer(`Spike of ${s.watch}`, { watch: s.watch, ...ctx.filters, from: s.start, to: s.end }), [3]));
  return { el: card('Spikes', { id: 'card-spikes', cls: 'span-2', note: 'unusual volume or sentiment, with why' },
    table(['watch', 'start', 'kind', 'observed', 'reason'], rows, { id: 'spikes', numeric: [3] })) };
}

function cascadesCard(r) {
  const rows = (r.cascades || []).slice(0, 10).map((c) => {
    const path = h('span', { class: 'path' }, (c.path || []).map((p, i) => [i ? ' → ' : '',
      h('span', { class: 'badge channel', title: fmtTime(p.first) }, p.channel)]));
    return drillRow([
      h('span', null, untrusted(c.author, { limit: 50 }), h('br'), untrusted(c.site, { limit: 60, cls: 'muted' })),
      path, fmtInt(c.size), fmtInt(c.depth), fmtInt(c.authors), fmtTime(c.start),
      c.blog_to_news_minutes === null || c.blog_to_news_minutes === undefined ? '—'
        : `${fmtInt(c.blog_to_news_minutes)} min`,
    ], () => openMentionDrawer(`Story started by ${c.author}`, c.root), [2, 3, 4]);
  });
  return { el: card('Cascades', { id: 'card-cascades', cls: 'span-2', note: 'how stories spread across channels' },
    table(['started by', 'path', 'size', 'depth', 'authors', 'start', 'blog → news'], rows,
      { id: 'cascades', numeric: [2, 3, 4] })) };
}

