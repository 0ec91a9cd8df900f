// Time to the first streamed text, measured the same way for the mock, Portkey and Kaiwa.
//
//   node ttft.mjs <chat|portkey|responses> <url> <streams> <connections> [requests/s]
//
// chat: an OpenAI Chat Completions stream (the mock directly); portkey: the same through the Portkey gateway, which
// needs its routing headers (the upstream it forwards to: UPSTREAM_BASE_URL, by default the mock on port 9000);
// responses: Kaiwa's Responses API. The first text is the first content chunk (chat) or
// the first response.output_text.delta event (responses). With a rate, the connections take turns so that streams
// start evenly (connection i starts at i/rate seconds, then every connections/rate seconds); without one, each
// connection starts its next stream as soon as the last one ended. Prints p50/p90/p99 in ms of the response headers,
// the first text and the last byte, in the form of the peer kit's sse-ttft.mjs.
import http from 'node:http';

const [kind, url, streamsArg = '400', connectionsArg = '8', rateArg = '0'] = process.argv.slice(2);
if (!['chat', 'portkey', 'responses'].includes(kind) || !url) {
  console.error('usage: node ttft.mjs <chat|portkey|responses> <url> <streams> <connections> [requests/s]');
  process.exit(2);
}
const streams = +streamsArg;
const connections = +connectionsArg;
const rate = +rateArg;
const target = new URL(url);
const upstream = process.env.UPSTREAM_BASE_URL || 'http://127.0.0.1:9000/v1';
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const body = JSON.stringify(kind === 'responses'
  ? { model: 'mock-model', input: 'Say hello', stream: true }
  : { model: 'mock-model', stream: true, messages: [{ role: 'user', content: 'Say hello' }] });
const headers = {
  'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
  authorization: kind === 'responses' ? 'Bearer sk-bench' : 'Bearer sk-dummy',
};
if (kind === 'portkey') {
  headers['x-portkey-provider'] = 'openai';
  headers['x-portkey-custom-host'] = upstream;
}
const firstText = kind === 'responses' ? 'response.output_text.delta' : '"content":"tok';
const lastEvent = kind === 'responses' ? 'response.completed' : '[DONE]';

function once() {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let head;
    let first;
    let text = '';
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST',
      headers, agent }, (res) => {
      head = process.hrtime.bigint();
      res.setEncoding('utf8');
      res.on('data', (d) => {
        text += d;
        if (first === undefined && text.includes(firstText)) first = process.hrtime.bigint();
      });
      res.on('end', () => {
        const end = process.hrtime.bigint();
        if (res.statusCode !== 200 || !text.includes(lastEvent) || first === undefined) {
          reject(new Error('bad answer ' + res.statusCode + ' ' + text.slice(0, 200)));
          return;
        }
        resolve({ ttfb: Number(head - start) / 1e6, ttft: Number(first - start) / 1e6, total: Number(end - start) / 1e6 });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

for (let i = 0; i < Math.min(50, streams); i++) await once();
const results = [];
let started = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: connections }, async (_, c) => {
  for (let k = 0; started < streams; k++) {
    // Paced: keep to the schedule; a stream that ran late starts the next one at once rather than skipping it.
    if (rate > 0) await sleep(t0 + (c + k * connections) * 1000 / rate - performance.now());
    if (started >= streams) break;
    started++;
    results.push(await once());
  }
}));
const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
};
const line = (k) => `${k}: p50=${pct(results.map((r) => r[k]), 50).toFixed(2)} p90=${pct(results.map((r) => r[k]), 90).toFixed(2)} p99=${pct(results.map((r) => r[k]), 99).toFixed(2)}`;
const pace = rate > 0 ? `${rate}/s` : 'back to back';
console.log(`SSE ${kind} n=${results.length} conc=${connections} ${pace} | ${line('ttfb')} | ${line('ttft')} | ${line('total')} (ms)`);
agent.destroy();
