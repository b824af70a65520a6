// Translation catalogues: one JSON file per language under i18n/ (stakeholder.md, Languages).
// Static markup names its text with data-i18n (textContent), data-i18n-aria (aria-label),
// data-i18n-placeholder and data-i18n-title; code calls t(key, vars).

export const LANGUAGES = ['en', 'nl'];
const STORAGE_KEY = 'vertoog.lang';
const catalogues = {};
let current = 'en';

async function loadCatalogue(lang) {
  if (catalogues[lang]) return catalogues[lang];
  try {
    const res = await fetch(`i18n/${lang}.json`, { headers: { Accept: 'application/json' } });
    catalogues[lang] = res.ok ? await res.json() : {};
  } catch {
    catalogues[lang] = {};
  }
  return catalogues[lang];
}

/** The language to start with: the stored choice, else the browser's, else English. */
export function initialLanguage() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  if (LANGUAGES.includes(stored)) return stored;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  return nav.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

/** Loads a language (and English as the fallback) and makes it current. */
export async function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) lang = 'en';
  await Promise.all([loadCatalogue('en'), loadCatalogue(lang)]);
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage may be disabled */
  }
  document.documentElement.setAttribute('lang', lang);
  applyStatic(document);
}

export function language() {
  return current;
}

/** The text of `key` in the current language, with {name} placeholders filled in. */
export function t(key, vars) {
  let text = catalogues[current]?.[key] ?? catalogues.en?.[key] ?? key;
  if (vars) {
    text = text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  }
  return text;
}

/** True when the catalogue has a text for `key` (used for optional labels such as domains). */
export function has(key) {
  return Boolean(catalogues[current]?.[key] ?? catalogues.en?.[key]);
}

/** A label for a data value with a catalogue entry, e.g. tr('domain', 'vng'), else the value. */
export function tr(prefix, value) {
  const key = `${prefix}.${value}`;
  return has(key) ? t(key) : String(value);
}

/** Fills every element under `root` that names a catalogue key. */
export function applyStatic(root) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-aria]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nAria));
  }
  for (const node of root.querySelectorAll('[data-i18n-placeholder]')) {
    node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
  }
  for (const node of root.querySelectorAll('[data-i18n-title]')) {
    node.setAttribute('title', t(node.dataset.i18nTitle));
  }
}
