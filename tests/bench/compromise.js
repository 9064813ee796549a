'use strict';
// make bench reference point: compromise.  For each record: the sentences
// of its text and its quotations (.quotations()).
const nlp = require('compromise');
const { mapRecords } = require('./jsonl');

let sentences = 0;

mapRecords((record) => {
  const doc = nlp(record.text || '');
  const sents = doc.sentences().out('array');
  sentences += sents.length;
  return { id: record.id, sentences: sents, quotations: doc.quotations().out('array') };
}, () => ({ sentences }));
