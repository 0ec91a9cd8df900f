// The official OpenAI Node SDK and the OpenAI Agents SDK, unchanged but for their base URL and key, against the
// packaged service (KAIWA_BASE_URL) whose provider is a WireMock answering these prompts (NodeSdkIT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { ResponsesWS } from 'openai/resources/responses/ws';
import { Agent, run, tool, setDefaultOpenAIClient, setTracingDisabled } from '@openai/agents';

const client = new OpenAI({ baseURL: process.env.KAIWA_BASE_URL + '/v1', apiKey: process.env.KAIWA_API_KEY, maxRetries: 0 });
const model = 'gpt-chat';

test('creates a response, continues it with previous_response_id and counts the next input', async () => {
  const first = await client.responses.create({ model, input: 'node: my name is Ada' });
  assert.equal(first.status, 'completed');
  assert.equal(first.output_text, 'Nice to meet you, Ada.');
  const second = await client.responses.create({ model, input: 'node: what is my name?', previous_response_id: first.id });
  assert.equal(second.output_text, 'Your name is Ada.');
  assert.equal(second.previous_response_id, first.id);
  const again = await client.responses.retrieve(second.id);
  assert.equal(again.output_text, 'Your name is Ada.');
  const items = await client.responses.inputItems.list(second.id);
  assert.equal(items.data.length, 1);
  const counted = await client.responses.inputTokens.count({ model, input: 'node: and now?', previous_response_id: second.id });
  assert.equal(counted.object, 'response.input_tokens');
  assert.ok(counted.input_tokens > 10, 'the chain is counted');
});

test('streams a response and reads its events with the SDK helper', async () => {
  const stream = client.responses.stream({ model, input: 'node: hello' });
  const deltas = [];
  stream.on('response.output_text.delta', (e) => deltas.push(e.delta));
  const final = await stream.finalResponse();
  assert.equal(final.output_text, 'Hello from Kaiwa.');
  assert.ok(deltas.length >= 2, 'text arrives in deltas');
});

test('runs responses over the SDK WebSocket client and continues a store:false one', async () => {
  const ws = new ResponsesWS(client);
  const finished = [];
  const next = () => new Promise((resolve, reject) => {
    const done = (e) => { ws.off('response.completed', done); ws.off('error', failed); resolve(e.response); };
    const failed = (e) => { ws.off('response.completed', done); ws.off('error', failed); reject(e); };
    ws.on('response.completed', done);
    ws.on('error', failed);
  });
  try {
    const first = next();
    ws.send({ type: 'response.create', model, store: false, input: 'node ws: remember plum' });
    finished.push(await first);
    const second = next();
    ws.send({ type: 'response.create', model, store: false, previous_response_id: finished[0].id,
      input: 'node ws: what was the word?' });
    finished.push(await second);
  } finally {
    ws.close({ code: 1000, reason: 'done' });
  }
  assert.equal(finished[0].output[0].content[0].text, 'OK');
  assert.equal(finished[1].output[0].content[0].text, 'plum');
});

test('compacts a conversation and continues from the compaction item', async () => {
  const compacted = await client.responses.compact({
    model,
    input: [
      { role: 'user', content: 'node: we launch on Tuesday' },
      { role: 'assistant', content: 'Understood, Tuesday.' },
    ],
  });
  assert.equal(compacted.object, 'response.compaction');
  assert.ok(compacted.output.some((item) => item.type === 'compaction'));
  const next = await client.responses.create({ model, input: [...compacted.output, { role: 'user', content: 'node: hello' }] });
  assert.equal(next.output_text, 'Hello from Kaiwa.');
});

test('answers Chat Completions clients, whole and streamed with the usage chunk', async () => {
  const whole = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'node: hello' }] });
  assert.equal(whole.object, 'chat.completion');
  assert.equal(whole.choices[0].message.content, 'Hello from Kaiwa.');
  const stream = await client.chat.completions.create({ model, stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'node: hello' }] });
  let text = '';
  let usage = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, 'Hello from Kaiwa.');
  assert.ok(usage && typeof usage.total_tokens === 'number', 'the usage chunk came');
});

test('keeps a conversation with the Conversations API and answers in it', async () => {
  const conversation = await client.conversations.create({
    metadata: { topic: 'names' },
    items: [{ type: 'message', role: 'user', content: 'node: my name is Ada' }],
  });
  assert.equal(conversation.object, 'conversation');
  const answer = await client.responses.create({ model, conversation: conversation.id, input: 'node: what is my name?' });
  assert.equal(answer.output_text, 'Your name is Ada.');
  const items = [];
  for await (const item of client.conversations.items.list(conversation.id, { order: 'asc' })) items.push(item);
  assert.equal(items.length, 3);
  assert.equal(items[2].content[0].text, 'Your name is Ada.');
  const deleted = await client.conversations.delete(conversation.id);
  assert.equal(deleted.deleted, true);
});

test('an Agents SDK agent calls a function tool and answers from its result', async () => {
  setTracingDisabled(true);
  setDefaultOpenAIClient(client);
  const calls = [];
  const getWeather = tool({
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
    strict: true,
    execute: async ({ city }) => { calls.push(city); return `sunny in ${city}`; },
  });
  const agent = new Agent({ name: 'Weather', instructions: 'Answer with the tool.', model, tools: [getWeather] });
  const result = await run(agent, 'node agent: weather in Paris?');
  assert.deepEqual(calls, ['Paris']);
  assert.equal(result.finalOutput, 'It is sunny in Paris.');
});
