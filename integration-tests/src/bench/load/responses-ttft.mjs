// Time to the first streamed text of Kaiwa's Responses API: usage node responses-ttft.mjs <url> <n> <concurrency>.
// Measures per request the response headers, the first response.output_text.delta event and the last byte, and
// prints p50/p90/p99 in ms, in the same form as the peer kit's sse-ttft.mjs.
import http from 'node:http';

const [url, nStr = '300', cStr = '1'] = process.argv.slice(2);
const n = +nStr;
const conc = +cStr;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: conc });
const body = JSON.stringify({ model: 'mock-model', input: 'Say hello', stream: true });
const headers = {
  'content-type': 'application/json', authorization: 'Bearer sk-bench', 'content-length': Buffer.byteLength(body),
};

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
        if (first === undefined && text.includes('response.output_text.delta')) first = process.hrtime.bigint();
      });
      res.on('end', () => {
        const end = process.hrtime.bigint();
        if (res.statusCode !== 200 || !text.includes('response.completed')) {
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

for (let i = 0; i < Math.min(50, n); i++) await once();
const results = [];
let started = 0;
await Promise.all(Array.from({ length: conc }, async () => {
  while (started < n) {
    started++;
    results.push(await once());
  }
}));
const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
};
const line = (k) => `${k}: p50=${pct(results.map((r) => r[k]), 50).toFixed(2)} p90=${pct(results.map((r) => r[k]), 90).toFixed(2)} p99=${pct(results.map((r) => r[k]), 99).toFixed(2)}`;
console.log(`SSE kaiwa n=${results.length} conc=${conc} | ${line('ttfb')} | ${line('ttft')} | ${line('total')} (ms)`);
agent.destroy();
