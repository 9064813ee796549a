'use strict';
// Shared by the reference-point scripts of make bench: read JSON Lines
// records from INPUT, hand each to a function, write what it returns as
// JSON Lines to OUTPUT, then print one summary line of JSON on stdout.
const fs = require('fs');
const readline = require('readline');

const FLUSH_BYTES = 1 << 20;

async function mapRecords(process, summary) {
  const [input, output] = globalThis.process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node SCRIPT INPUT.jsonl OUTPUT.jsonl');
    globalThis.process.exit(2);
  }
  const out = fs.openSync(output, 'w');
  let pending = [];
  let pendingBytes = 0;
  const flush = () => {
    if (pending.length) fs.writeSync(out, pending.join(''));
    pending = [];
    pendingBytes = 0;
  };
  const lines = readline.createInterface({
    input: fs.createReadStream(input, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let records = 0;
  for await (const line of lines) {
    if (!line.trim()) continue;
    const record = JSON.parse(line);
    const result = JSON.stringify(process(record)) + '\n';
    pending.push(result);
    pendingBytes += result.length;
    if (pendingBytes >= FLUSH_BYTES) flush();
    records++;
  }
  flush();
  fs.closeSync(out);
  console.log(JSON.stringify({ records, ...summary() }));
}

module.exports = { mapRecords };
