// Safe DOM building. Data is only ever placed with textContent or setAttribute, never as HTML.

import { t } from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(node, props) {
  if (!props) return node;
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.setAttribute('class', value);
    else if (key === 'style' && typeof value === 'object') {
      // Through the CSSOM: the Content-Security-Policy blocks style attributes, not this.
      for (const [k, v] of Object.entries(value)) node.style.setProperty(k, String(v));
    }
    else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
    } else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'value') node.value = value;
    else if (key === 'checked' || key === 'disabled' || key === 'selected' || key === 'hidden') {
      node[key] = Boolean(value);
    } else node.setAttribute(key, value === true ? '' : String(value));
  }
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return node;
}

/**
 * A small "?" link to the section of the method page (docs/method.md, served as
 * /docs/method.html) that says how a number is computed.
 */
export function docLink(anchor) {
  return el('a', {
    class: 'doc-link', href: `/docs/method.html#${anchor}`, target: '_blank', rel: 'noopener',
    title: t('doc.how'), 'aria-label': t('doc.how'), text: '?',
  });
}

/** An HTML element: `el('li', {class: 'x', dataset: {gap: 'g1'}}, 'text', child)`. */
export function el(tag, props, ...children) {
  return append(apply(document.createElement(tag), props), children);
}

/** An SVG element; attributes are set with setAttribute. */
export function svg(tag, props, ...children) {
  return append(apply(document.createElementNS(SVG_NS, tag), props), children);
}

/** Removes every child of a node. */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Shorthand for document.getElementById. */
export function $(id) {
  return document.getElementById(id);
}

/** A number for display: `digits` decimals, or the "n/a" text (translated) for null/NaN. */
export function fmt(x, digits = 2, na = t('na')) {
  if (x === null || x === undefined || typeof x !== 'number' || !Number.isFinite(x)) return na;
  return x.toFixed(digits);
}

/** A CSS-class-safe token from a data value (kinds, domains): [a-z0-9-] only. */
export function token(value) {
  return String(value ?? '').toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40);
}

/** A slug as domain.md defines ids: [a-z0-9][a-z0-9-]{0,62}. */
export function slugify(text) {
  const s = String(text ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
  return s;
}

/** True for an http(s) URL that may be shown as a link. */
export function isWebUrl(text) {
  try {
    const u = new URL(String(text));
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
