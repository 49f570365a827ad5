/*
 * Rollcall, the "now" page: keeps itself current without reloading. Every 15 s it asks the page's JSON
 * (data-api, /api/presence/now?site=…, with names=real when the page was revealed) and redraws the counts, the
 * present and not-here tables, the "unknown" section (a presence agent silent now) and the downtime banner with
 * the same words and site-local times the server writes. Its request says it is the page's refresh
 * (X-Rollcall-Refresh), so a revealed page's refreshes are audited once an hour, not every 15 s.
 * It builds nodes with textContent only, never HTML from the data.
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
  const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];
  const api = root.dataset.api;
  const zone = root.dataset.zone;
  const clock = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit',
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
  const seen = (lastSeenAt, seenToday, today) => {
    if (seenToday) {
      return lastSeenAt ? 'left ' + hhmm(lastSeenAt) : 'seen today';
    }
    return lastSeenAt ? 'not today · last seen ' + dayAndTime(lastSeenAt, today) : 'never seen';
  };
  const lastSeen = (a, today) => seen(a.lastSeen, a.seenToday, today);
  // as PresenceExtensions.lastKnown and silence write them
  const lastKnown = (u, today) => u.presentSince
    ? 'present since ' + dayAndTime(u.presentSince, today) : seen(u.lastSeen, u.seenToday, today);
  const silence = (now) => {
    const one = now.silentAgents.length === 1;
    return (one ? 'presence agent ' : 'presence agents ') + now.silentAgents.join(', ') + (one ? ' has' : ' have')
      + ' been silent since ' + dayAndTime(now.unknownSince, now.today);
  };
  // 10 March 2026: as TimeExtensions.dayMonthYear writes a date
  const dayMonthYear = (date) => {
    const [year, month, day] = date.split('-');
    return Number(day) + ' ' + LONG_MONTHS[Number(month) - 1] + ' ' + year;
  };
  // as AgentsExtensions.fromTo and causeLabel write them
  const fromTo = (d, today) => {
    const from = dayAndTime(d.start, today);
    if (!d.end) {
      return from + ' – now (still down)';
    }
    return from + ' – ' + (dateOf(d.start) === dateOf(d.end) ? hhmm(d.end) : dayAndTime(d.end, today));
  };
  const CAUSES = { gap: 'no heartbeat', reported: 'reported by the agent', silent: 'silent since then' };
  const causeLabel = (d) => CAUSES[d.cause] || d.cause;

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

  const presentRow = (p, now) => {
    const since = el('td', null, time(p.since, dayAndTime(p.since, now.today)));
    if (p.offlineSince) {
      since.append(' ', el('span', { class: 'note grace', title: 'present until every device has been offline for '
        + now.graceMinutes + ' min' }, 'offline since ' + hhmm(p.offlineSince)));
    }
    return el('tr', { 'data-key': p.employee.pseudonym },
      employee(p.employee),
      since,
      el('td', null, p.arrivedToday ? time(p.arrivedToday, hhmm(p.arrivedToday)) : none()),
      el('td', { class: 'num' }, p.arrivedToday ? hm(p.todaySeconds) : none()));
  };

  const noDevice = (cell, devices) => {
    if (devices === 0) {
      cell.append(' ', el('span', { class: 'note' }, 'no device registered'));
    }
    return cell;
  };

  const absentRow = (a, today) => el('tr', { 'data-key': a.employee.pseudonym },
    employee(a.employee), noDevice(el('td', null, lastSeen(a, today)), a.devices));

  const unknownRow = (u, today) => el('tr', { 'data-key': u.employee.pseudonym },
    employee(u.employee),
    noDevice(el('td', null, lastKnown(u, today)), u.devices),
    el('td', { class: 'num' }, u.arrivedToday ? hm(u.todaySeconds) : none()));

  // as the downtimeBanner tag writes it; none when no downtime overlaps today
  const banner = (coverage, today) => {
    if (!coverage || !coverage.downtimes.length) {
      return [];
    }
    const dates = coverage.incompleteDates;
    const words = dates.length
      ? ['presence is ', el('em', null, 'unknown'), ', not absent, while a presence agent was down: ',
        ...(dates.length === 1 ? [el('strong', null, dayMonthYear(dates[0])), ' is']
          : [el('strong', null, String(dates.length)), ' days are']), ' incomplete, not short.']
      : ['an agent of this site was down during this period.'];
    const list = el('ul', null, ...coverage.downtimes.map((d) => el('li', null, 'Agent ', el('strong', null, d.agentId),
      ' down ' + fromTo(d, today) + ' (' + zone + ') · ' + causeLabel(d))));
    return [el('section', { class: 'downtime-banner', role: 'status' }, el('strong', null, 'Missing data:'), ' ', ...words, list)];
  };

  const rows = (name, list, columns, empty) => root.querySelector('[data-rows=' + name + ']')
    .replaceChildren(...(list.length ? list : [nobody(columns, empty)]));

  const render = (now) => {
    const unknown = Boolean(now.unknownSince);
    root.querySelector('[data-banner]').replaceChildren(...banner(now.coverage, now.today));
    root.querySelectorAll('[data-known]').forEach((n) => { n.hidden = unknown; });
    root.querySelectorAll('[data-unknown]').forEach((n) => { n.hidden = !unknown; });
    rows('present', now.present.map((p) => presentRow(p, now)), 4, 'Nobody is present.');
    rows('absent', now.absent.map((a) => absentRow(a, now.today)), 2, 'Everyone is here.');
    rows('unknown', now.unknown.map((u) => unknownRow(u, now.today)), 3, 'Nobody is on the roster.');
    root.querySelector('[data-silence]').textContent = unknown ? silence(now) : '';
    root.querySelector('[data-count=present]').textContent = String(now.present.length);
    root.querySelector('[data-count=absent]').textContent = String(now.absent.length);
    root.querySelector('[data-count=unknown]').textContent = String(now.unknown.length);
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
      const reply = await fetch(api, {
        headers: { Accept: 'application/json', 'X-Rollcall-Refresh': 'presence-now' }, cache: 'no-store', signal: abort.signal
      });
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
