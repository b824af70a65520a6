// Small SVG charts: the strength components (analysis.md section 5) and the timeline.

import { el, svg, clear, fmt, docLink } from './dom.js';
import { t } from './i18n.js';

/** The five components of strength, in the order of analysis.md section 5. */
export const COMPONENTS = [
  'influence_share',
  'breadth',
  'discourse_cohesion',
  'connectedness',
  'narrative_support',
];

/** The method page's section of each component (docs/method.md §5). */
const COMPONENT_DOCS = {
  influence_share: 'influence-share',
  breadth: 'breadth',
  discourse_cohesion: 'discourse-cohesion',
  connectedness: 'connectedness',
  narrative_support: 'dominance',
};

/**
 * The transition coalition's strength with its five components as bars (`#strength`).
 * Components that are null or missing show "n/a" (analysis.md: left out of the score).
 */
export function strengthChart(container, metrics, extra = {}) {
  clear(container);
  const m = metrics || {};
  const strength = typeof m.strength === 'number' ? m.strength : null;
  container.append(
    el(
      'p',
      { class: 'strength-score' },
      el('span', { class: 'strength-value', id: 'strength-value', text: fmt(strength, 1, t('na')) }),
      el('span', { class: 'strength-max', text: ' / 100' }),
      ' ',
      docLink('strength-score'),
    ),
  );
  const width = 160;
  const list = el('ul', { class: 'components', 'aria-label': t('strength.components') });
  for (const name of COMPONENTS) {
    const raw = m[name];
    const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
    const shown = value === null ? 0 : Math.max(0, Math.min(1, value));
    const bar = svg(
      'svg',
      { class: 'bar', viewBox: `0 0 ${width} 12`, preserveAspectRatio: 'none', width, height: 12, 'aria-hidden': 'true' },
      svg('rect', { x: 0, y: 0, width, height: 12, class: 'bar-bg' }),
      svg('rect', {
        x: 0, y: 0, width: (shown * width).toFixed(1), height: 12,
        class: value === null ? 'bar-fg na' : shown < 0.34 ? 'bar-fg low' : 'bar-fg',
      }),
    );
    list.append(
      el(
        'li',
        { dataset: { component: name }, title: t(`metric.${name}.help`) },
        el('span', { class: 'component-name', text: t(`metric.${name}`) }, ' ', docLink(COMPONENT_DOCS[name])),
        bar,
        el('span', { class: 'component-value', text: fmt(value, 2, t('na')) }),
      ),
    );
  }
  container.append(list);
  if (extra.counts) {
    const c = extra.counts;
    container.append(
      el(
        'p',
        { class: 'counts', id: 'transition-counts' },
        t('strength.counts', {
          supporters: c.supporters, opponents: c.opponents,
          undecided: c.undecided, silent: c.silent,
        }),
      ),
    );
  }
  if (typeof extra.targetsMet === 'number' && Number.isFinite(extra.targetsMet)) {
    container.append(el('p', { class: 'counts', id: 'targets-met', text: t('strength.targetsMet', { x: Math.round(extra.targetsMet * 100) }) }));
  }
  if (extra.noCore) container.append(el('p', { class: 'notice', text: t('strength.noCore') }));
  if (extra.approximate && extra.approximate.length) {
    container.append(
      el('p', { class: 'notice', text: t('strength.approximate', { what: extra.approximate.join(', ') }) }),
    );
  }
}

/**
 * The timeline: strength (0..100, left axis) and the numbers of supporters and opponents
 * (right axis) per period, with a marker at `current` (an index into points, or null).
 */
export function timelineChart(container, points, current) {
  clear(container);
  if (!points || points.length === 0) {
    container.append(el('p', { class: 'muted', text: t('timeline.empty') }));
    return;
  }
  const W = 600;
  const H = 170;
  const L = 36;
  const R = 36;
  const T = 12;
  const B = 28;
  const n = points.length;
  const x = (i) => L + (n === 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (n - 1));
  const maxCount = Math.max(
    1,
    ...points.map((p) => Math.max(p.supporters?.length || 0, p.opponents?.length || 0)),
  );
  const yS = (v) => T + (H - T - B) * (1 - v / 100);
  const yC = (v) => T + (H - T - B) * (1 - v / maxCount);
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'timeline-svg', role: 'img', id: 'timeline-svg',
    'aria-label': t('timeline.aria'),
  });
  chart.append(svg('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' }));
  chart.append(svg('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'axis' }));
  chart.append(svg('line', { x1: W - R, y1: T, x2: W - R, y2: H - B, class: 'axis' }));
  chart.append(svg('text', { x: L - 4, y: T + 8, class: 'tick end', text: '100' }));
  chart.append(svg('text', { x: L - 4, y: H - B, class: 'tick end', text: '0' }));
  chart.append(svg('text', { x: W - R + 4, y: T + 8, class: 'tick', text: String(maxCount) }));
  const series = [
    ['strength', (p) => p.metrics?.strength, yS],
    ['supporters', (p) => p.supporters?.length || 0, yC],
    ['opponents', (p) => p.opponents?.length || 0, yC],
  ];
  for (const [name, value, y] of series) {
    const pts = points
      .map((p, i) => [i, value(p)])
      .filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
      .map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    if (pts.length) {
      chart.append(svg('polyline', { points: pts.join(' '), class: `series ${name}` }));
      for (const p of pts) {
        const [cx, cy] = p.split(',');
        chart.append(svg('circle', { cx, cy, r: 2.5, class: `dot ${name}` }));
      }
    }
  }
  const step = Math.max(1, Math.ceil(n / 8));
  points.forEach((p, i) => {
    if (i % step === 0 || i === n - 1) {
      chart.append(svg('text', { x: x(i), y: H - 10, class: 'tick middle', text: String(p.label ?? p.end ?? i) }));
    }
  });
  if (current !== null && current !== undefined && current >= 0 && current < n) {
    chart.append(svg('line', { x1: x(current), y1: T, x2: x(current), y2: H - B, class: 'marker' }));
  }
  container.append(chart);
  container.append(
    el(
      'ul',
      { class: 'legend inline' },
      ['strength', 'supporters', 'opponents'].map((name) =>
        el('li', { class: `key ${name}` }, el('span', { class: 'swatch', 'aria-hidden': 'true' }), t(`timeline.${name}`)),
      ),
    ),
  );
}
