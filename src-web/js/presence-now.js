/*
 * Rollcall, the "now" page: keeps itself current without reloading. Every 15 s it asks the page's JSON
 * (data-api, /api/presence/now?site=…) and redraws the counts and the two tables with the same words and
 * site-local times the server writes. It builds nodes with textContent only, never HTML from the data.
 * Without JavaScript the page is complete as served and refreshes itself every minute (a <noscript> refresh).
 */
(() => {
  'use strict';
  const root = document.getElementById('presence-now');
  if (!root || !window.fetch || !window.Intl) {
    return;
  }
  const PERIOD_MS = 15000;
  const TIMEOUT_MS = 10000;
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const api = root.dataset.api;
  const clock = new Intl.DateTimeFormat('en-US', {
    timeZone: root.dataset.zone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
  });
  let timer = null;

  // An instant's fields in the site's zone: { weekday: 'Tue', year: '2026', month: '03', day: '10', hour: '08', … }
  const local = (iso) => {
    const fields = {};
    for (const part of clock.formatToParts(new Date(iso))) {
      fields[part.type] = part.value;
    }
    return fields;
  };
  const hhmm = (iso) => {
    const t = local(iso);
    return t.hour + ':' + t.minute;
  };
  const hhmmss = (iso) => hhmm(iso) + ':' + local(iso).second;
  const dateOf = (iso) => {
    const t = local(iso);
    return t.year + '-' + t.month + '-' + t.day;
  };
  // 08:02 on `today`, else Mon 9 Mar 22:30: as TimeExtensions.dayAndTime writes it
  const dayAndTime = (iso, today) => {
    if (dateOf(iso) === today) {
      return hhmm(iso);
    }
    const t = local(iso);
    return t.weekday + ' ' + Number(t.day) + ' ' + MONTHS[Number(t.month) - 1] + ' ' + t.hour + ':' + t.minute;
  };
  // 7:05, minutes cut: as TimeExtensions.hm writes it
  const hm = (seconds) => {
    const minutes = Math.floor(Math.max(0, seconds) / 60);
    return Math.floor(minutes / 60) + ':' + String(minutes % 60).padStart(2, '0');
  };
  // as PresenceExtensions.lastSeen writes it
  const lastSeen = (a, today) => {
    if (a.seenToday) {
      return a.lastSeen ? 'left ' + hhmm(a.lastSeen) : 'seen today';
    }
    return a.lastSeen ? 'not today · last seen ' + dayAndTime(a.lastSeen, today) : 'never seen';
  };

  const el = (tag, attributes, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      node.setAttribute(name, value);
    }
    for (const child of children) {
      node.append(child);
    }
    return node;
  };
  const time = (iso, text) => el('time', { datetime: iso }, text);
  const none = () => el('span', { class: 'none' }, '–');
  const employee = (e) => el('th', { scope: 'row', class: 'employee' }, e.label);
  const nobody = (columns, text) => el('tr', { class: 'nobody' }, el('td', { colspan: String(columns) }, text));

  const presentRow = (p, today) => el('tr', { 'data-key': p.employee.pseudonym },
    employee(p.employee),
    el('td', null, time(p.since, dayAndTime(p.since, today))),
    el('td', null, p.arrivedToday ? time(p.arrivedToday, hhmm(p.arrivedToday)) : none()),
    el('td', { class: 'num' }, p.arrivedToday ? hm(p.todaySeconds) : none()));

  const absentRow = (a, today) => {
    const seen = el('td', null, lastSeen(a, today));
    if (a.devices === 0) {
      seen.append(' ', el('span', { class: 'note' }, 'no device registered'));
    }
    return el('tr', { 'data-key': a.employee.pseudonym }, employee(a.employee), seen);
  };

  const render = (now) => {
    const present = now.present.map((p) => presentRow(p, now.today));
    const absent = now.absent.map((a) => absentRow(a, now.today));
    root.querySelector('[data-rows=present]').replaceChildren(...(present.length ? present : [nobody(4, 'Nobody is present.')]));
    root.querySelector('[data-rows=absent]').replaceChildren(...(absent.length ? absent : [nobody(2, 'Everyone is here.')]));
    root.querySelector('[data-count=present]').textContent = String(now.present.length);
    root.querySelector('[data-count=absent]').textContent = String(now.absent.length);
    const status = root.querySelector('[data-live]');
    status.classList.remove('stale');
    status.replaceChildren('As of ', time(now.generatedAt, hhmmss(now.generatedAt)), ' · updates every 15 s');
    root.dataset.updated = now.generatedAt;
  };

  const failed = (why) => {
    const status = root.querySelector('[data-live]');
    const asOf = status.querySelector('time');
    status.classList.add('stale');
    status.replaceChildren(...(asOf ? ['As of ', asOf, ' · '] : []), 'live updates paused (' + why + '), retrying');
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = document.hidden ? null : setTimeout(poll, PERIOD_MS);
  };

  async function poll() {
    const abort = new AbortController();
    const giveUp = setTimeout(() => abort.abort(), TIMEOUT_MS);
    try {
      const reply = await fetch(api, { headers: { Accept: 'application/json' }, cache: 'no-store', signal: abort.signal });
      if (!reply.ok) {
        throw new Error('the server answered ' + reply.status);
      }
      render(await reply.json());
    } catch (e) {
      failed(e.name === 'AbortError' ? 'no answer' : e.message || 'offline');
    } finally {
      clearTimeout(giveUp);
      schedule();
    }
  }

  // a hidden tab does not poll; coming back, it catches up at once
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
    } else if (timer === null) {
      poll();
    }
  });
  const status = root.querySelector('[data-live]');
  status.append(' · updates every 15 s');
  schedule();
})();
