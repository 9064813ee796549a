'use strict';
// make bench reference point: wink-nlp with wink-eng-lite-web-model.
// For each record: the sentences of its text and the entities wink finds
// (dates, numbers, percentages...), with their types.
const winkNLP = require('wink-nlp');
const model = require('wink-eng-lite-web-model');
const { mapRecords } = require('./jsonl');

const nlp = winkNLP(model);
const its = nlp.its;
let sentences = 0;

mapRecords((record) => {
  const doc = nlp.readDoc(record.text || '');
  const sents = doc.sentences().out();
  sentences += sents.length;
  return { id: record.id, sentences: sents, entities: doc.entities().out(its.detail) };
}, () => ({ sentences }));
