#!/usr/bin/env node
// Test helper: run queries and stem words with lunr.js 2.3.9.
//
// stdin:  {"index": <serialised lunr index>, "queries": [string, ...],
//          "words": [string, ...]}          ("index" may be null/absent)
// stdout: {"results": [[{"ref": string, "score": number}, ...], ...],
//          "stems": [string, ...]}
// Results keep lunr.js's order; scores are rounded to 6 decimals so that
// callers can recognise ties.  A query lunr.js refuses to parse
// (lunr.QueryParseError) gets null instead of a list.
'use strict';

const path = require('path');
const lunr = require(path.join(__dirname, '..', '..', 'node_modules', 'lunr'));

function main(input) {
  const request = JSON.parse(input);
  const queries = request.queries || [];
  const words = request.words || [];

  let results = [];
  if (queries.length > 0) {
    const index = lunr.Index.load(request.index);
    results = queries.map((query) => {
      let hits;
      try {
        hits = index.search(query);
      } catch (error) {
        if (error instanceof lunr.QueryParseError) return null;
        throw error;
      }
      return hits.map((hit) => ({
        ref: hit.ref,
        score: Math.round(hit.score * 1e6) / 1e6,
      }));
    });
  }
  const stems = words.map((word) => lunr.stemmer(new lunr.Token(word)).toString());
  process.stdout.write(JSON.stringify({ results, stems }));
}

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => main(Buffer.concat(chunks).toString('utf8')));
