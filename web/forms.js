// Editing forms (actors, narratives, stances, ties), import, export links and history.
// Validation errors of the server are shown next to the field they name; a near-duplicate
// answer (409) offers "keep both" (resend with force) and "merge".

import { el, clear, $, slugify } from './dom.js';
import { t, tr, applyStatic } from './i18n.js';
import { api, apiUrl, getToken, ApiError } from './api.js';

const POSITIONS = ['-2', '-1', '0', '1', '2'];
const KINDS = ['organisation', 'person'];
const ENGAGEMENTS = ['inform', 'consult', 'involve', 'collaborate', 'empower'];
const TIE_KINDS = ['collaboration', 'communication', 'funding', 'authority', 'membership', 'conflict'];

/**
 * Field types: text, textarea, number, checkbox, date, select. `options(ctx)` gives the
 * choices `[[value, label]]` of a select; `list` fields are `;`-separated lists;
 * `optional` selects start with an empty choice and send null when empty.
 */
const SCHEMAS = {
  actor: {
    route: 'actors',
    fields: [
      { name: 'name', type: 'text', required: true },
      { name: 'id', type: 'text', hint: 'form.idHint', createOnly: true },
      { name: 'domain', type: 'select', value: 'other', options: (ctx) => ctx.domains.map((d) => [d, tr('domain', d)]) },
      { name: 'kind', type: 'select', value: 'organisation', options: () => KINDS.map((k) => [k, tr('kind', k)]) },
      { name: 'parent', type: 'select', optional: true, options: (ctx) => ctx.actorOptions() },
      { name: 'influence', type: 'number', min: 0, max: 1, step: 0.05, value: 0.5 },
      { name: 'interest', type: 'number', min: 0, max: 1, step: 0.05, value: 0.5 },
      { name: 'legitimacy', type: 'checkbox' },
      { name: 'urgency', type: 'checkbox' },
      { name: 'target_position', type: 'select', optional: true, number: true, options: () => POSITIONS.map((p) => [p, `${p} ${t(`position.${p}`)}`]) },
      { name: 'engagement', type: 'select', optional: true, options: () => ENGAGEMENTS.map((e) => [e, tr('engagement', e)]) },
      { name: 'owner', type: 'text' },
      { name: 'aliases', type: 'text', list: true, hint: 'form.listHint' },
      { name: 'tags', type: 'text', list: true, hint: 'form.listHint' },
      { name: 'notes', type: 'textarea' },
    ],
  },
  narrative: {
    route: 'narratives',
    fields: [
      { name: 'label', type: 'text', required: true },
      { name: 'id', type: 'text', hint: 'form.idHint', createOnly: true },
      { name: 'core', type: 'checkbox' },
      { name: 'description', type: 'textarea' },
      { name: 'tags', type: 'text', list: true, hint: 'form.listHint' },
    ],
  },
  stance: {
    route: 'stances',
    fields: [
      { name: 'actor', type: 'select', required: true, options: (ctx) => ctx.actorOptions() },
      { name: 'narrative', type: 'select', required: true, options: (ctx) => ctx.narrativeOptions() },
      { name: 'position', type: 'select', number: true, value: '1', options: () => POSITIONS.map((p) => [p, `${p} ${t(`position.${p}`)}`]) },
      { name: 'date', type: 'date', optional: true },
      { name: 'source', type: 'text' },
      { name: 'quote', type: 'textarea' },
    ],
  },
  tie: {
    route: 'ties',
    fields: [
      { name: 'source', type: 'select', required: true, options: (ctx) => ctx.actorOptions() },
      { name: 'target', type: 'select', required: true, options: (ctx) => ctx.actorOptions() },
      { name: 'kind', type: 'select', value: 'collaboration', options: () => TIE_KINDS.map((k) => [k, tr('tiekind', k)]) },
      { name: 'weight', type: 'number', min: 0.01, max: 1, step: 0.05, value: 0.5 },
      { name: 'directed', type: 'checkbox' },
      { name: 'since', type: 'date', optional: true },
      { name: 'until', type: 'date', optional: true },
      { name: 'note', type: 'textarea' },
    ],
  },
};

function fieldInput(form, f, ctx) {
  const id = `${form}-form-${f.name}`;
  const common = { id, name: f.name, 'aria-describedby': `${id}-error` };
  if (f.required) common.required = true;
  let input;
  if (f.type === 'textarea') input = el('textarea', { ...common, rows: 2 });
  else if (f.type === 'checkbox') input = el('input', { ...common, type: 'checkbox' });
  else if (f.type === 'select') {
    input = el('select', common);
    if (f.optional) input.append(el('option', { value: '', text: '—' }));
    for (const [value, label] of f.options(ctx)) input.append(el('option', { value, text: label }));
    if (f.value !== undefined) input.value = f.value;
  } else {
    input = el('input', {
      ...common, type: f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text',
      min: f.min, max: f.max, step: f.step, autocomplete: 'off',
    });
    if (f.value !== undefined) input.value = String(f.value);
  }
  const label = el('label', { for: id, text: t(`field.${f.name}`) });
  const wrap = el('div', { class: `field field-${f.type}`, dataset: { field: f.name } });
  if (f.type === 'checkbox') wrap.append(input, label);
  else wrap.append(label, input);
  if (f.hint) wrap.append(el('span', { class: 'hint', text: t(f.hint) }));
  wrap.append(el('span', { class: 'field-error', id: `${id}-error`, dataset: { errorFor: f.name }, 'aria-live': 'polite' }));
  return wrap;
}

function readForm(formEl, schema, editing) {
  const body = {};
  for (const f of schema.fields) {
    if (f.createOnly && editing) continue;
    const input = formEl.elements.namedItem(f.name);
    if (!input) continue;
    if (f.type === 'checkbox') body[f.name] = input.checked;
    else {
      const raw = input.value.trim();
      if (f.list) body[f.name] = raw ? raw.split(';').map((s) => s.trim()).filter(Boolean) : [];
      else if (raw === '') {
        if (f.optional) body[f.name] = null;
        else if (f.type === 'text' || f.type === 'textarea') body[f.name] = '';
      } else if (f.type === 'number' || f.number) {
        const n = Number(raw);
        body[f.name] = Number.isFinite(n) ? n : raw;
      } else body[f.name] = raw;
    }
  }
  return body;
}

function fillForm(formEl, schema, item) {
  for (const f of schema.fields) {
    const input = formEl.elements.namedItem(f.name);
    if (!input) continue;
    const v = item ? item[f.name] : undefined;
    if (f.type === 'checkbox') input.checked = Boolean(v);
    else if (f.list) input.value = Array.isArray(v) ? v.join('; ') : '';
    else if (v === undefined || v === null) input.value = f.value !== undefined && !item ? String(f.value) : '';
    else input.value = String(v);
    if (f.type === 'select' && !f.optional && input.selectedIndex < 0 && input.options.length) {
      input.selectedIndex = 0;
    }
    if (f.createOnly) input.disabled = Boolean(item);
  }
}

function clearErrors(formEl) {
  for (const span of formEl.querySelectorAll('.field-error')) span.textContent = '';
  for (const input of formEl.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  const status = formEl.querySelector('.form-status');
  if (status) {
    status.textContent = '';
    status.className = 'form-status';
  }
  clear(formEl.querySelector('.duplicates'));
}

/** Shows an API error next to the field it names (the last segment of a path like `actors[0].name`). */
function showError(formEl, error) {
  const field = error.field ? String(error.field).split(/[.[\]]/).filter(Boolean).pop() : null;
  const span = field ? formEl.querySelector(`.field-error[data-error-for="${CSS.escape(field)}"]`) : null;
  if (span) {
    span.textContent = error.message;
    const input = formEl.elements.namedItem(field);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  } else {
    setStatus(formEl, error.field ? `${error.field}: ${error.message}` : error.message, 'error');
  }
}

function setStatus(formEl, text, kind) {
  const status = formEl.querySelector('.form-status');
  status.textContent = text;
  status.className = `form-status ${kind || ''}`;
}

export class Editor {
  /** `ctx` gives domains, actorOptions(), narrativeOptions(), map(); `onSaved` reloads. */
  constructor(ctx, { onSaved }) {
    this.ctx = ctx;
    this.onSaved = onSaved;
    this.editing = {};
    // Per form: the ETag of the version being edited, and whether the user has typed since
    // it was loaded. A save or delete sends the ETag as If-Match, so a change made by someone
    // else in the meantime is refused (412) instead of overwritten.
    this.etags = {};
    this.touched = {};
  }

  /** Builds the four forms into #edit-forms (called again after a language change). */
  render() {
    const root = $('edit-forms');
    clear(root);
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      const formEl = el('form', { id: `${name}-form`, class: 'entity-form', novalidate: true, dataset: { entity: name } });
      const title = el('h3', { class: 'form-title' });
      const picker = name === 'actor' || name === 'narrative'
        ? el('div', { class: 'field' },
            el('label', { for: `${name}-form-pick`, text: t(`form.pick.${name}`) }),
            (() => {
              const sel = el('select', { id: `${name}-form-pick` });
              sel.append(el('option', { value: '', text: t('form.new') }));
              const opts = name === 'actor' ? this.ctx.actorOptions() : this.ctx.narrativeOptions();
              for (const [v, l] of opts) sel.append(el('option', { value: v, text: l }));
              sel.addEventListener('change', () => this.edit(name, sel.value ? this.ctx.lookup(name, sel.value) : null));
              return sel;
            })())
        : null;
      formEl.append(title, picker);
      for (const f of schema.fields) formEl.append(fieldInput(name, f, this.ctx));
      formEl.append(
        el('div', { class: 'buttons' },
          el('button', { type: 'submit', class: 'save', text: t('form.save') }),
          el('button', { type: 'button', class: 'secondary new', text: t('form.new'), onclick: () => this.edit(name, null) }),
          el('button', { type: 'button', class: 'danger delete', text: t('form.delete'), hidden: true, onclick: () => this.remove(name) })),
        el('p', { class: 'form-status', role: 'status' }),
        el('div', { class: 'duplicates', id: `${name}-form-duplicates` }),
      );
      if (name === 'tie') {
        // authority and funding ties are directed by default (domain.md).
        formEl.elements.namedItem('kind').addEventListener('change', (ev) => {
          formEl.elements.namedItem('directed').checked = ['authority', 'funding'].includes(ev.target.value);
        });
      }
      formEl.addEventListener('submit', (ev) => {
        ev.preventDefault();
        this.submit(name, false);
      });
      formEl.addEventListener('input', () => {
        this.touched[name] = true;
      });
      root.append(el('section', { class: 'form-card' }, formEl));
      this.edit(name, this.editing[name] || null);
    }
  }

  /**
   * Loads an item into a form for editing (PATCH), or empties it for a new one (POST).
   * Resolves once the item's current version has been read.
   */
  edit(name, item) {
    const formEl = $(`${name}-form`);
    if (!formEl) return;
    this.editing[name] = item;
    clearErrors(formEl);
    fillForm(formEl, SCHEMAS[name], item);
    formEl.querySelector('.form-title').textContent = item
      ? t(`form.edit.${name}`, { name: item.name || item.label || item.id })
      : t(`form.add.${name}`);
    formEl.querySelector('.delete').hidden = !item;
    formEl.dataset.editing = item ? item.id : '';
    const pick = $(`${name}-form-pick`);
    if (pick) pick.value = item ? item.id : '';
    this.etags[name] = null;
    this.touched[name] = false;
    delete formEl.dataset.version;
    return item ? this.loadVersion(name, item.id) : Promise.resolve();
  }

  /** The entity's URL in the API. */
  entityPath(name, id) {
    return `/maps/${encodeURIComponent(this.ctx.map())}/${SCHEMAS[name].route}/${encodeURIComponent(id)}`;
  }

  /**
   * Reads the current version of the item being edited: keeps its ETag and, when the user has
   * not typed yet, shows it (the list the form was filled from may be older).
   */
  async loadVersion(name, id) {
    let res;
    let current;
    try {
      res = await api(this.entityPath(name, id), { raw: true });
      current = await res.json();
    } catch {
      return; // without an ETag the save is unconditional, as before
    }
    if (this.editing[name]?.id !== id) return; // another item was picked meanwhile
    const formEl = $(`${name}-form`);
    this.etags[name] = res.headers.get('ETag');
    formEl.dataset.version = this.etags[name] || '';
    if (!this.touched[name]) {
      this.editing[name] = current;
      fillForm(formEl, SCHEMAS[name], current);
    }
  }

  /** After a 412: says so, and loads the other person's version into the form. */
  async showChanged(name, item) {
    await this.edit(name, item);
    setStatus($(`${name}-form`), t('form.changed', { name: item.name || item.label || item.id }), 'error');
  }

  /** Prefills a new stance or tie for an actor (from the details panel). */
  prefill(name, values) {
    this.edit(name, null);
    const formEl = $(`${name}-form`);
    for (const [k, v] of Object.entries(values)) {
      const input = formEl.elements.namedItem(k);
      if (input) input.value = v;
    }
  }

  /** Saves a form; the form carries `data-saving` until the map has been reloaded. */
  async submit(name, force, mergeInto = null) {
    const formEl = $(`${name}-form`);
    formEl.dataset.saving = 'true';
    try {
      await this.save(name, force, mergeInto);
    } finally {
      delete formEl.dataset.saving;
    }
  }

  async save(name, force, mergeInto) {
    const schema = SCHEMAS[name];
    const formEl = $(`${name}-form`);
    const item = this.editing[name];
    clearErrors(formEl);
    const body = readForm(formEl, schema, Boolean(item));
    if (!item && (name === 'actor' || name === 'narrative') && !body.id) {
      // Derived from the name, made unique among the map's ids (an id is never reused).
      const base = slugify(name === 'actor' ? body.name : body.label) || name;
      let candidate = base;
      for (let i = 2; this.ctx.lookup(name, candidate); i += 1) candidate = `${base.slice(0, 58)}-${i}`;
      body.id = candidate;
    }
    if (!item && (name === 'stance' || name === 'tie')) delete body.id;
    const map = this.ctx.map();
    try {
      let saved;
      if (item) {
        saved = await api(this.entityPath(name, item.id), { method: 'PATCH', json: body, ifMatch: this.etags[name] });
      } else {
        if (force) body.force = true;
        saved = await api(`/maps/${encodeURIComponent(map)}/${schema.route}`, { method: 'POST', json: body });
      }
      const savedId = saved?.id ?? body.id ?? item?.id;
      if (mergeInto && savedId) {
        await api(`/maps/${encodeURIComponent(map)}/merge`, { method: 'POST', json: { keep: mergeInto, other: savedId } });
        setStatus(formEl, t('form.merged', { name: mergeInto }), 'ok');
      } else {
        setStatus(formEl, t('form.saved'), 'ok');
      }
      await this.onSaved({ entity: name, id: mergeInto || savedId });
      const status = t(mergeInto ? 'form.merged' : 'form.saved', { name: mergeInto });
      this.edit(name, null);
      setStatus($(`${name}-form`), status, 'ok');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status === 409 && e.code === 'near_duplicate') this.showDuplicates(name, e);
      else if (e.status === 412 && item) await this.showChanged(name, item);
      else showError(formEl, e);
    }
  }

  showDuplicates(name, error) {
    const formEl = $(`${name}-form`);
    const box = formEl.querySelector('.duplicates');
    clear(box);
    const candidates = Array.isArray(error.body.candidates) ? error.body.candidates : [];
    box.append(
      el('p', { class: 'warning', role: 'alert', text: error.message || t('dup.warning') }),
      el('ul', {}, candidates.map((c) => el('li', { dataset: { candidate: c.id } },
        el('span', { text: `${c.name ?? c.label ?? c.id} (${c.id}${typeof c.score === 'number' ? `, ${t('dup.score', { x: c.score.toFixed(2) })}` : ''})` }),
        ' ',
        name === 'actor'
          ? el('button', { type: 'button', class: 'merge', dataset: { candidate: c.id }, text: t('dup.merge'), onclick: () => this.submit(name, true, c.id) })
          : null))),
      el('button', { type: 'button', class: 'keep-both', text: t('dup.keepBoth'), onclick: () => this.submit(name, true) }),
    );
  }

  async remove(name) {
    const item = this.editing[name];
    if (!item) return;
    if (!window.confirm(t('form.confirmDelete', { name: item.name || item.label || item.id }))) return;
    const formEl = $(`${name}-form`);
    try {
      await api(this.entityPath(name, item.id), { method: 'DELETE', ifMatch: this.etags[name] });
      await this.onSaved({ entity: name, id: null });
      this.edit(name, null);
      setStatus($(`${name}-form`), t('form.deleted'), 'ok');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status === 412) await this.showChanged(name, item);
      else showError(formEl, e);
    }
  }
}

/** The import form (#import-form): a JSON bundle as a JSON body, CSV files as multipart. */
export function installImport(ctx, { onImported }) {
  const formEl = $('import-form');
  formEl.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const out = $('import-result');
    clear(out);
    const files = [...$('import-files').files];
    const onDuplicate = $('import-on-duplicate').value;
    if (!files.length) {
      out.append(el('p', { class: 'error', text: t('import.noFiles') }));
      return;
    }
    const map = encodeURIComponent(ctx.map());
    try {
      let result;
      const json = files.filter((f) => /\.json$/i.test(f.name));
      if (json.length === 1 && files.length === 1) {
        let bundle;
        try {
          bundle = JSON.parse(await json[0].text());
        } catch (e) {
          out.append(el('p', { class: 'error', text: t('import.badJson', { message: e.message }) }));
          return;
        }
        result = await api(`/maps/${map}/import`, { method: 'POST', json: bundle, query: { on_duplicate: onDuplicate } });
      } else {
        const form = new FormData();
        for (const f of files) form.append(f.name.replace(/\.[^.]*$/, ''), f, f.name);
        result = await api(`/maps/${map}/import`, { method: 'POST', form, query: { on_duplicate: onDuplicate } });
      }
      out.append(el('p', { class: 'ok', text: t('import.done') }));
      if (result && typeof result === 'object') {
        const dl = el('dl', { class: 'facts' });
        for (const group of ['created', 'updated', 'unchanged']) {
          const counts = result[group];
          if (!counts || typeof counts !== 'object') continue;
          const parts = Object.entries(counts)
            .filter(([, v]) => typeof v === 'number')
            .map(([k, v]) => `${v} ${tr('entities', k)}`);
          dl.append(el('dt', { text: t(`import.report.${group}`) }), el('dd', { text: parts.join(', ') || '0' }));
        }
        if (Array.isArray(result.merged) && result.merged.length) {
          dl.append(el('dt', { text: t('import.report.merged') }), el('dd', { text: String(result.merged.length) }));
        }
        out.append(dl);
        if (Array.isArray(result.warnings) && result.warnings.length) {
          out.append(el('ul', { class: 'import-warnings' }, result.warnings.slice(0, 50).map((w) => el('li', { text: String(w) }))));
        }
      }
      await onImported();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      out.append(el('p', { class: 'error', role: 'alert', text: e.message }));
      const errors = e.body.errors || e.body.error?.errors || [];
      if (Array.isArray(errors) && errors.length) {
        out.append(el('ul', { class: 'import-errors' }, errors.slice(0, 200).map((x) => el('li', {
          text: [x.file, x.line !== undefined && x.line !== null ? t('import.line', { n: x.line }) : null, x.field, x.message].filter(Boolean).join(' · '),
        }))));
      }
      if (Array.isArray(e.body.candidates) && e.body.candidates.length) {
        out.append(el('p', { text: t('import.duplicatesHint') }));
        out.append(el('ul', {}, e.body.candidates.slice(0, 50).map((c) => el('li', { text: `${c.incoming_name ?? c.incoming_id ?? ''} ≈ ${c.name ?? ''} (${c.id})${typeof c.score === 'number' ? `, ${t('dup.score', { x: c.score.toFixed(2) })}` : ''}` }))));
      }
    }
  });
}

export const EXPORT_FORMATS = ['dot', 'svg', 'graphml', 'gexf', 'csv', 'json'];

/** The download links (#export-links a[data-format]); with a token they download via fetch. */
export function renderExportLinks(ctx) {
  const root = $('export-links');
  clear(root);
  const map = ctx.map();
  if (!map) return;
  const view = $('export-view').value;
  for (const format of EXPORT_FORMATS) {
    const query = { format };
    if (['dot', 'svg', 'graphml', 'gexf'].includes(format)) query.view = view;
    const href = apiUrl(`/maps/${encodeURIComponent(map)}/export`, query);
    const a = el('a', { href, download: `${map}.${format === 'csv' ? 'csv' : format}`, class: 'button-link', dataset: { format }, text: t(`export.${format}`) });
    a.addEventListener('click', async (ev) => {
      if (!getToken()) return;
      ev.preventDefault();
      try {
        const res = await api(`/maps/${encodeURIComponent(map)}/export`, { query, raw: true });
        const blob = await res.blob();
        const url = URL.createObjectURL(blob);
        const tmp = el('a', { href: url, download: a.getAttribute('download') });
        document.body.append(tmp);
        tmp.click();
        tmp.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      } catch (e) {
        ctx.message(e.message, 'error');
      }
    });
    root.append(el('li', {}, a));
  }
}

/** A log timestamp (RFC 3339, UTC) in the browser's time zone, in the UI's language. */
function when(timestamp, lang) {
  const d = new Date(String(timestamp));
  if (Number.isNaN(d.getTime())) return String(timestamp ?? '');
  try {
    return d.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    return d.toISOString();
  }
}

/**
 * The change log (#history) from GET .../log (newest first), each entry with who, when and
 * what; an undoable entry has a button that reverts it and every later write (POST .../undo
 * {"to": seq - 1}); #undo-last reverts the last write ({"to": null}). An undo is itself a log
 * entry, so it can be undone as well. `onUndone` reloads the map.
 */
let historyGeneration = 0;

export async function renderHistory(ctx, { onUndone, lang } = {}) {
  const generation = ++historyGeneration;
  const list = $('history');
  const status = $('history-status');
  status.textContent = '';
  status.className = 'form-status';
  const map = encodeURIComponent(ctx.map());
  const undo = async (to, button) => {
    if (button) button.disabled = true;
    try {
      const report = await api(`/maps/${map}/undo`, { method: 'POST', json: { to } });
      const n = Array.isArray(report?.reverted) ? report.reverted.length : 0;
      if (onUndone) await onUndone();
      await renderHistory(ctx, { onUndone, lang });
      $('history-status').textContent = t('history.undone', { n });
      $('history-status').className = 'form-status ok';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (button) button.disabled = false;
      status.textContent = e.message;
      status.className = 'form-status error';
    }
  };
  $('undo-last').onclick = (ev) => undo(null, ev.currentTarget);
  try {
    const data = await api(`/maps/${map}/log`, { query: { order: 'desc', limit: 200 } });
    // A later call (a reload while this one waited) draws instead.
    if (generation !== historyGeneration) return;
    clear(list);
    const items = Array.isArray(data) ? data : data?.items || [];
    const total = typeof data?.total === 'number' ? data.total : items.length;
    $('undo-last').disabled = !items.some((e) => e.undoable);
    if (!items.length) {
      list.append(el('li', { class: 'muted', text: t('history.empty') }));
      return;
    }
    // Entries reverted by a later undo that is not itself undone (newest first, so an undo
    // is known to be undone before the entries it reverted are looked at).
    const reverted = new Set();
    for (const e of items) {
      if (reverted.has(e.seq)) continue;
      for (const s of e.reverts || []) reverted.add(s);
    }
    for (const e of items) {
      const op = String(e.operation ?? '');
      const entity = String(e.entity ?? '');
      const what = t(`history.op.${op}`, {
        entity: tr('entity', entity),
        id: e.id || '',
        n: (e.reverts || []).length,
      });
      const undone = reverted.has(e.seq);
      list.append(el('li', { class: undone ? 'undone' : '', dataset: { entry: e.seq ?? '', operation: op } },
        el('span', { class: 'seq', text: `#${e.seq}` }),
        el('span', { class: 'when', text: when(e.timestamp, lang) }),
        el('span', { class: 'who', text: String(e.principal ?? '') }),
        el('span', { class: 'what', title: e.summary || null, text: what }),
        undone ? el('span', { class: 'badge', text: t('history.isUndone') }) : null,
        e.undoable
          ? el('button', {
            type: 'button', class: 'secondary small undo-to needs-edit',
            title: t('history.undoToHint'),
            text: t('history.undoTo'),
            onclick: (ev) => undo(Number(e.seq) - 1, ev.currentTarget),
          })
          : null));
    }
    if (total > items.length) list.append(el('li', { class: 'muted', text: t('history.more', { n: total - items.length }) }));
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    clear(list);
    list.append(el('li', { class: 'error', text: e.message }));
  }
}

export { applyStatic };
