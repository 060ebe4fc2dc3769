// turndown 7.2.2 (the reference normalizer) on every fixture answer, timed inside one Node
// process, start-up and loading excluded.  node bench/turndown_bench.js ORACLE_DIR DATA_DIR [seconds]
'use strict'
const fs = require('fs')
const path = require('path')
const [oracleDir, dataDir, secondsArg] = process.argv.slice(2)
const { normalize } = require(path.resolve(oracleDir, 'normalize.js'))
const corpus = []
for (const set of ['zhihu/questions', 'seed/questions']) {
  for (const q of fs.readdirSync(path.join(dataDir, set)).sort()) {
    for (const a of JSON.parse(fs.readFileSync(path.join(dataDir, set, q, 'answers.json'), 'utf8'))) {
      corpus.push(a.content)
    }
  }
}
const bytes = corpus.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0)
for (const s of corpus) normalize(s)  // warm-up (JIT)
const seconds = Number(secondsArg || 3)
const start = process.hrtime.bigint()
let rounds = 0
let elapsed = 0
do {
  for (const s of corpus) normalize(s)
  rounds++
  elapsed = Number(process.hrtime.bigint() - start) / 1e9
} while (elapsed < seconds)
console.log(`turndown 7.2.2 (reference, zhihu profile): ${(bytes * rounds / 1e6 / elapsed).toFixed(2)} MB/s`)
