// The "brief" buttons (briefs.md): downloads of the coalition brief of the map (in the top
// bar) and of the actor brief (in an actor's details), as PDF, Word or HTML, in the UI's
// language. With a token the file is fetched with it and handed to the browser as a blob.

import { el, clear, $ } from './dom.js';
import { t, language } from './i18n.js';
import { api, apiUrl, getToken } from './api.js';
import { state } from './state.js';

const FORMATS = ['pdf', 'docx', 'html'];

/** Links to the brief of the current map, or of `actor` when given. */
export function briefLinks(actor, onError = () => {}) {
  const map = state.map;
  const wrap = el('span', { class: 'brief-links', dataset: { testid: actor ? 'actor-brief' : 'map-brief' } });
  if (!map) return wrap;
  wrap.append(el('span', { class: 'muted', text: `${t(actor ? 'brief.actor' : 'brief.map')}:` }));
  const path = `/maps/${encodeURIComponent(map)}/brief`;
  for (const format of FORMATS) {
    const query = { format, lang: language() };
    if (actor) query.actor = actor;
    const download = `brief-${map}${actor ? `-${actor}` : ''}-${language()}.${format}`;
    const a = el('a', { href: apiUrl(path, query), download, class: 'button-link small', dataset: { format }, text: t(`brief.${format}`) });
    a.addEventListener('click', async (ev) => {
      if (!getToken()) return;
      ev.preventDefault();
      try {
        const res = await api(path, { query, raw: true });
        const url = URL.createObjectURL(await res.blob());
        const tmp = el('a', { href: url, download });
        document.body.append(tmp);
        tmp.click();
        tmp.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      } catch (e) {
        onError(e);
      }
    });
    wrap.append(' ', a);
  }
  return wrap;
}

/** The map's brief links in the top bar (`#brief-map`). */
export function renderMapBrief(onError) {
  const box = $('brief-map');
  if (!box) return;
  clear(box);
  if (state.map) box.append(briefLinks(null, onError));
}
