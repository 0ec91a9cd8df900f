// The Kaiwa playground: talks to the service through its public API only (GET /v1/models, POST /v1/responses with
// stream: true and previous_response_id), with the key the user pastes: kept for this tab (sessionStorage) unless
// the user asks to remember it. Conversations are kept in this browser's localStorage: their turns as they were
// shown, and the last response id to continue from.
// Everything the model or a tool produced is inserted as text (textContent), never parsed as HTML.
'use strict';

const KEY = 'kaiwa.playground.key';
const REMEMBER = 'kaiwa.playground.remember';
const CONVERSATIONS = 'kaiwa.playground.conversations';
const $ = (id) => document.getElementById(id);

const state = {
  models: new Map(),
  conversations: load(CONVERSATIONS, []),
  active: null,
  busy: false,
};

function load(name, fallback) {
  try {
    return JSON.parse(localStorage.getItem(name)) ?? fallback;
  } catch {
    return fallback;
  }
}

function save() {
  localStorage.setItem(CONVERSATIONS, JSON.stringify(state.conversations));
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

function headers() {
  const h = { 'Content-Type': 'application/json' };
  const key = $('api-key').value.trim();
  if (key) h.Authorization = 'Bearer ' + key;
  return h;
}

async function errorOf(response) {
  try {
    const body = await response.json();
    return (body.error && body.error.message) || response.statusText;
  } catch {
    return response.status + ' ' + response.statusText;
  }
}

// ---- connection and models ----

async function connect() {
  const status = $('connection-status');
  status.className = '';
  status.textContent = 'Connecting...';
  const key = $('api-key').value.trim();
  const remember = $('remember-key').checked;
  (remember ? localStorage : sessionStorage).setItem(KEY, key);
  (remember ? sessionStorage : localStorage).removeItem(KEY);
  localStorage.setItem(REMEMBER, String(remember));
  const response = await fetch('/v1/models', { headers: headers() }).catch((e) => ({ ok: false, statusText: e.message }));
  if (!response.ok) {
    status.className = 'error';
    status.textContent = 'Not connected: ' + (response.json ? await errorOf(response) : response.statusText);
    $('send').disabled = true;
    return;
  }
  const models = (await response.json()).data || [];
  state.models = new Map(models.map((m) => [m.id, m]));
  const select = $('model');
  select.replaceChildren(...models.map((m) => {
    const option = el('option', null, m.id + (m.owned_by ? '  (' + m.owned_by + ')' : ''));
    option.value = m.id;
    return option;
  }));
  const wanted = current() && current().model;
  if (wanted && state.models.has(wanted)) select.value = wanted;
  select.disabled = models.length === 0;
  $('send').disabled = models.length === 0;
  status.textContent = 'Connected: ' + models.length + ' model' + (models.length === 1 ? '' : 's');
  renderContext();
}

function forgetKey() {
  localStorage.removeItem(KEY);
  sessionStorage.removeItem(KEY);
  $('api-key').value = '';
  $('connection-status').textContent = 'Key removed from this browser';
}

// ---- conversations ----

function current() {
  return state.conversations.find((c) => c.id === state.active) || null;
}

function newConversation() {
  state.active = null;
  renderConversations();
  renderTranscript();
  $('prompt').focus();
}

function renderConversations() {
  const nav = $('conversations');
  nav.replaceChildren(...state.conversations.map((c) => {
    const row = el('div', 'conversation' + (c.id === state.active ? ' active' : ''));
    row.dataset.id = c.id;
    row.append(el('span', 'title', c.title));
    const remove = el('button', 'delete', '\u00d7');
    remove.title = 'Remove from this list (the responses stay stored in the service)';
    remove.addEventListener('click', (event) => {
      event.stopPropagation();
      state.conversations = state.conversations.filter((x) => x.id !== c.id);
      if (state.active === c.id) state.active = null;
      save();
      renderConversations();
      renderTranscript();
    });
    row.append(remove);
    row.addEventListener('click', () => {
      state.active = c.id;
      if (state.models.has(c.model)) $('model').value = c.model;
      renderConversations();
      renderTranscript();
    });
    return row;
  }));
}

function renderTranscript() {
  const transcript = $('transcript');
  const conversation = current();
  if (!conversation) {
    transcript.replaceChildren(el('p', 'empty', 'Paste your key, connect, pick a model and say something. Answers '
      + 'stream in; tool calls show what they searched, read and ran; each turn shows its tokens and cost.'));
  } else {
    transcript.replaceChildren(...conversation.turns.map(renderTurn));
    transcript.scrollTop = transcript.scrollHeight;
  }
  renderContext();
}

// ---- one turn ----

function renderTurn(turn) {
  const box = el('article', 'turn');
  box.append(el('div', 'bubble user', turn.input));
  for (const item of turn.items || []) box.append(renderItem(item));
  if (turn.error) box.append(el('div', 'error', turn.error));
  if (turn.usage || turn.status) box.append(renderMeta(turn));
  return box;
}

function text(parts, type) {
  return (parts || []).filter((p) => !type || p.type === type).map((p) => p.text || p.refusal || '').join('');
}

function safeUrl(url) {
  return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
}

function link(url) {
  const href = safeUrl(url);
  if (!href) return el('span', null, url || '');
  const a = el('a', null, url);
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

function toolBox(title, status) {
  const box = el('div', 'tool');
  const head = el('div', 'head', title);
  if (status && status !== 'completed') head.append(el('span', 'status', status));
  box.append(head);
  return box;
}

function renderItem(item) {
  switch (item.type) {
    case 'message': {
      const refusal = text(item.content, 'refusal');
      return el('div', 'bubble assistant', text(item.content, 'output_text') + (refusal ? refusal : ''));
    }
    case 'reasoning': {
      const details = el('details', 'reasoning');
      const thought = [text(item.summary), text(item.content)].filter(Boolean).join('\n\n');
      details.append(el('summary', null, 'Reasoning (' + thought.length + ' characters)'), el('div', 'text', thought));
      return details;
    }
    case 'web_search_call': {
      const action = item.action || {};
      const box = toolBox('Searched the web' + (action.query ? ': \u201c' + action.query + '\u201d' : ''), item.status);
      const sources = action.sources || [];
      if (sources.length) {
        const list = el('ul', 'sources');
        for (const s of sources) {
          const li = el('li');
          li.append(link(s.url || s.title || s.type));
          list.append(li);
        }
        box.append(list);
      }
      return box;
    }
    case 'web_extractor_call': {
      const box = toolBox('Read ' + (item.urls || []).length + ' page' + ((item.urls || []).length === 1 ? '' : 's')
        + (item.goal ? ' to find: ' + item.goal : ''), item.status);
      const list = el('ul', 'pages');
      for (const url of item.urls || []) {
        const li = el('li');
        li.append(link(url));
        list.append(li);
      }
      box.append(list);
      return box;
    }
    case 'code_interpreter_call': {
      const box = toolBox('Ran code', item.status);
      box.append(el('pre', 'code', item.code || ''));
      for (const output of item.outputs || []) {
        if (output.type === 'logs') box.append(el('pre', 'output', output.logs));
        if (output.type === 'image' && /^data:image\/(png|jpeg|gif);base64,/.test(output.url || '')) {
          const img = el('img');
          img.src = output.url;
          img.alt = 'An image the code made';
          box.append(img);
        }
      }
      return box;
    }
    case 'function_call': {
      const box = toolBox('Called ' + item.name, item.status);
      box.append(el('pre', 'code', item.arguments || ''));
      return box;
    }
    case 'compaction':
      return el('div', 'notice', 'Earlier turns were folded into a summary here, to stay inside the context window.');
    default:
      return toolBox(item.type, item.status);
  }
}

function number(n) {
  return typeof n === 'number' ? n.toLocaleString('en-US') : '?';
}

function money(amount, currency) {
  if (amount === undefined || amount === null) return null;
  const value = Number(amount);
  return (currency === 'USD' ? '$' : (currency || '') + ' ') + (value < 0.01 ? value.toFixed(6) : value.toFixed(4));
}

function renderMeta(turn) {
  const meta = el('div', 'meta');
  const u = turn.usage;
  if (u) {
    const cached = (u.input_tokens_details && u.input_tokens_details.cached_tokens) || 0;
    meta.append(el('span', 'tokens', number(u.input_tokens) + ' in (' + number(cached) + ' cached) \u00b7 '
      + number(u.output_tokens) + ' out'));
    const reasoning = u.output_tokens_details && u.output_tokens_details.reasoning_tokens;
    if (reasoning) meta.append(el('span', null, number(reasoning) + ' reasoning'));
    const cost = u.x_cost;
    if (cost) {
      meta.append(el('span', 'cost', money(cost.total, cost.currency)
        + (cost.chain_total !== undefined ? ' (conversation ' + money(cost.chain_total, cost.currency) + ')' : '')));
    } else {
      meta.append(el('span', 'cost', 'cost not known for this model'));
    }
  }
  if (turn.model) meta.append(el('span', null, turn.model));
  if (turn.seconds !== undefined) meta.append(el('span', null, turn.seconds.toFixed(1) + ' s'));
  if (turn.status && turn.status !== 'completed') meta.append(el('span', null, turn.status));
  return meta;
}

// ---- the context window bar ----

function renderContext() {
  const conversation = current();
  const fill = $('context-fill');
  const label = $('context-label');
  const last = conversation && [...conversation.turns].reverse().find((t) => t.usage);
  if (!last) {
    fill.style.width = '0';
    label.textContent = 'No turn yet';
    return;
  }
  const model = state.models.get(last.model);
  const window = model && (model.max_input_tokens || model.context_window);
  // What the next turn starts from: this turn's input and its answer, which the next request carries. The usage of a
  // turn adds up all of its model calls (a tool loop's, a compaction's summary), so the figure can only overstate.
  const calls = (last.items || []).filter((i) => /_call$/.test(i.type)).length + 1;
  const used = (last.usage.input_tokens || 0) + (last.usage.output_tokens || 0);
  const parts = [];
  if (window) {
    const percent = Math.min(100, (100 * used) / window);
    fill.style.width = percent.toFixed(1) + '%';
    fill.classList.toggle('high', percent >= 70);
    parts.push('Context: ' + (calls > 1 ? 'at most ' : 'about ') + number(used) + ' of ' + number(window)
      + ' tokens (' + percent.toFixed(1) + ' %)');
  } else {
    fill.style.width = '0';
    parts.push('Context: ' + (calls > 1 ? 'at most ' : 'about ') + number(used) + ' tokens (window not known for '
      + last.model + ')');
  }
  const compacted = conversation.turns.map((t, i) => [t, i]).filter(([t]) => t.context && t.context.compaction
    && !t.context.compaction.failed).pop();
  if (compacted) {
    const [t, i] = compacted;
    const c = t.context.compaction;
    parts.push('compacted at turn ' + (i + 1) + ': ' + number(c.summarized_turns) + ' turns summarized, '
      + number(c.tokens_before) + ' \u2192 ' + number(c.tokens_after) + ' tokens');
  }
  label.textContent = parts.join(' \u00b7 ');
}

// ---- sending and streaming ----

async function* events(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart())
          .join('\n');
        if (data && data !== '[DONE]') yield JSON.parse(data);
      }
    }
  } finally {
    // A stream given up on (an error while showing it) stops downloading.
    reader.cancel().catch(() => {});
  }
}

async function send(event) {
  event.preventDefault();
  const prompt = $('prompt');
  const input = prompt.value.trim();
  if (!input || state.busy) return;
  const model = $('model').value;
  let conversation = current();
  if (!conversation) {
    conversation = { id: crypto.randomUUID(), title: input.slice(0, 60), model, turns: [], lastResponseId: null };
    state.conversations.unshift(conversation);
    state.active = conversation.id;
    renderConversations();
    renderTranscript();
  }
  conversation.model = model;
  const turn = { input, items: [], model, started: Date.now() };
  const body = { model, input, stream: true };
  if (conversation.lastResponseId) body.previous_response_id = conversation.lastResponseId;
  const tools = [...document.querySelectorAll('#tools input:checked')].map((c) => ({ type: c.value }));
  if (tools.length) body.tools = tools;
  if ($('thinking').checked) body.enable_thinking = true;

  const view = el('article', 'turn');
  view.append(el('div', 'bubble user', input));
  $('transcript').append(view);
  const live = new Map();
  const scroll = () => { $('transcript').scrollTop = $('transcript').scrollHeight; };
  scroll();
  state.busy = true;
  $('send').disabled = true;
  prompt.value = '';

  const show = (index, item) => {
    const node = renderItem(item);
    if (item.type === 'message' && item.status === 'in_progress') node.classList.add('streaming');
    const before = live.get(index);
    if (before && before.node.open) node.open = true;
    if (before) before.node.replaceWith(node);
    else view.append(node);
    live.set(index, { item, node });
    scroll();
  };
  const append = (index, apply) => {
    const entry = live.get(index);
    if (!entry) return;
    apply(entry.item);
    show(index, entry.item);
  };

  try {
    const response = await fetch('/v1/responses', { method: 'POST', headers: headers(), body: JSON.stringify(body) });
    if (!response.ok) throw new Error(await errorOf(response));
    for await (const e of events(response)) {
      switch (e.type) {
        case 'response.output_item.added':
          show(e.output_index, structuredClone(e.item));
          break;
        case 'response.output_text.delta':
          append(e.output_index, (item) => {
            item.content = item.content && item.content.length ? item.content : [{ type: 'output_text', text: '' }];
            const part = item.content[e.content_index || 0] || item.content[item.content.length - 1];
            part.text = (part.text || '') + e.delta;
          });
          break;
        case 'response.refusal.delta':
          append(e.output_index, (item) => {
            item.content = item.content || [];
            let part = item.content.find((p) => p.type === 'refusal');
            if (!part) item.content.push(part = { type: 'refusal', refusal: '' });
            part.refusal += e.delta;
          });
          break;
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta': {
          const key = e.type === 'response.reasoning_text.delta' ? 'content' : 'summary';
          append(e.output_index, (item) => {
            item[key] = item[key] && item[key].length ? item[key] : [{ text: '' }];
            item[key][item[key].length - 1].text += e.delta;
          });
          break;
        }
        case 'response.code_interpreter_call_code.delta':
          append(e.output_index, (item) => { item.code = (item.code || '') + e.delta; });
          break;
        case 'response.output_item.done':
          show(e.output_index, e.item);
          turn.items[e.output_index] = e.item;
          break;
        case 'response.completed':
        case 'response.incomplete':
        case 'response.cancelled':
        case 'response.failed': {
          const r = e.response;
          conversation.lastResponseId = r.status === 'failed' ? conversation.lastResponseId : r.id;
          if (r.output && r.output.length) turn.items = r.output;
          turn.usage = r.usage;
          turn.context = r.x_context;
          turn.status = r.status;
          if (r.error) turn.error = r.error.message;
          break;
        }
        case 'error':
          turn.error = e.message || (e.error && e.error.message) || 'The stream ended with an error';
          break;
        default:
          break;
      }
    }
    if (!turn.status && !turn.error) turn.error = 'The stream ended before the response did';
  } catch (e) {
    turn.error = e.message;
  } finally {
    if (!turn.status) {
      // The stream broke off: what was shown stays, as far as it came.
      turn.items = [...live.entries()].sort(([a], [b]) => a - b).map(([i, v]) => turn.items[i] || v.item);
      turn.items.forEach((item) => { if (item.status === 'in_progress') item.status = 'incomplete'; });
    }
    turn.items = turn.items.filter(Boolean);
    // Nothing typed is lost: a prompt that got no answer goes back to the box.
    if (!turn.status && !turn.items.length && !prompt.value) prompt.value = input;
    turn.seconds = (Date.now() - turn.started) / 1000;
    delete turn.started;
    if (turn.status || turn.items.length) conversation.turns.push(turn);
    save();
    view.replaceWith(renderTurn(turn));
    state.busy = false;
    $('send').disabled = false;
    renderContext();
    scroll();
    document.body.dataset.turns = String(conversation.turns.length);
  }
}

// ---- start ----

document.addEventListener('DOMContentLoaded', () => {
  $('remember-key').checked = localStorage.getItem(REMEMBER) === 'true';
  $('api-key').value = sessionStorage.getItem(KEY) || localStorage.getItem(KEY) || '';
  $('connect').addEventListener('click', connect);
  $('forget-key').addEventListener('click', forgetKey);
  $('new-conversation').addEventListener('click', newConversation);
  $('composer').addEventListener('submit', send);
  $('prompt').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      $('composer').requestSubmit();
    }
  });
  state.active = state.conversations.length ? state.conversations[0].id : null;
  renderConversations();
  renderTranscript();
  connect();
});
