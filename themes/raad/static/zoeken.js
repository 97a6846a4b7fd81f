/* Search for raadsite. Works from file://, from a zip and on any web server: the start of
   the index is the script zoeken/index.js (window.RAAD_ZOEK, built by raadsite, the same size
   however many documents there are); the inverted index comes in shards of sorted terms
   (zoeken/termen/N.js) whose postings are packed into strings, the documents as results show
   them in shards of a few (zoeken/docs/N.js) and each filter value's documents as a bitmap
   (zoeken/filters/NAME.js). Shards are added as <script> elements when a query needs them,
   because fetch() of local files fails on file://. No third-party code.

   Words are folded exactly as raadsite folds them when it builds the index (src/search/):
   lowercase, accents removed, apostrophes dropped, stop words (listed in the index) left out.
   A query word matches every indexed word that starts with it; all words must match.
   Documents are numbered newest first, so equal scores list the newest first. */
(function (global) {
  'use strict';

  var K1 = 1.2;
  var LEVELS = 7;
  var PREFIX_FACTOR = 0.6; // a word that only starts with the query word counts less
  // A posting's weight is 4 * (BM25 level of its count in the body, 0-7) + 1 (in title or
  // kenmerk) + 2 (in the summary), as raadsite writes it. A title match outweighs any number
  // of body matches.
  var TITLE_BONUS = 2.5;
  var DESCRIPTION_BONUS = 0.8;
  var SHOWN = 20; // results per step; each may load a document shard
  // What the term shards of a query may take in all beyond the shard of each word itself.
  var TERM_BYTES = 200000;
  var SNIPPET = 220;
  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var VALUE = new Int8Array(128);
  for (var v = 0; v < 64; v++) VALUE[DIGITS.charCodeAt(v)] = v;

  // Letters that Unicode does not decompose into a base letter and a mark.
  var SPECIAL = {
    '\u00df': 'ss', '\u00e6': 'ae', '\u0153': 'oe', '\u00f8': 'o', '\u0142': 'l',
    '\u0111': 'd', '\u00f0': 'd', '\u00fe': 'th', '\u0131': 'i', '\u0133': 'ij', '\u0140': 'l'
  };
  var WORD_CHAR = /[\p{L}\p{N}]/u;

  function foldChar(ch) {
    if (ch === "'" || ch === '\u2019' || ch === '\u2018' || ch === '\u02bc') return '';
    var l = ch.toLowerCase();
    if (l.length === 1 && l.charCodeAt(0) < 128) return l;
    if (Object.prototype.hasOwnProperty.call(SPECIAL, l)) return SPECIAL[l];
    return l.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }

  function fold(text) {
    var out = '';
    for (var ch of text) out += foldChar(ch);
    return out;
  }

  /* The folded text and, for every folded character, its offset in the original. Runs of
     ASCII without apostrophes are lowercased whole: most of a Dutch text. */
  var ASCII_RUN = /[\0-&(-\x7f]+/y;
  function foldWithMap(text) {
    var out = '';
    var map = [];
    var i = 0;
    while (i < text.length) {
      ASCII_RUN.lastIndex = i;
      var run = ASCII_RUN.exec(text);
      if (run) {
        out += run[0].toLowerCase();
        for (var end = i + run[0].length; i < end; i++) map.push(i);
        continue;
      }
      var ch = String.fromCodePoint(text.codePointAt(i));
      var f = foldChar(ch);
      for (var k = 0; k < f.length; k++) map.push(i);
      out += f;
      i += ch.length;
    }
    map.push(text.length);
    return { text: out, map: map };
  }

  function tokens(text, stop) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(function (w) {
      return Array.from(w).length >= 2 && stop.indexOf(w) < 0;
    });
  }

  function lowerBound(sorted, x) {
    var lo = 0;
    var hi = sorted.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (sorted[mid] < x) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /* Numbers of the term shards that can hold words starting with `q`: the shard whose range
     holds q itself, then those that start with q. */
  function shardsFor(ix, q) {
    if (!ix.delen.length) return [];
    var at = lowerBound(ix.delen, q);
    var first = at < ix.delen.length && ix.delen[at] === q ? at : Math.max(0, at - 1);
    var out = [first];
    for (var s = first + 1; s < ix.delen.length && ix.delen[s].lastIndexOf(q, 0) === 0; s++) out.push(s);
    return out;
  }

  /* The term shards a query loads, per query word: first for every word the shard that holds
     the word itself, then, word by word, the shards of longer words that start with it, as
     long as all together stay within TERM_BYTES (a short or common word on a large site
     could load much of the index). Returns { shards: [[shard]], cut: [words whose longer
     words were not all searched] }. The same for the same index and words, so that a
     search uses what `missing` loaded, however many shards are loaded besides. */
  function plan(ix, terms) {
    var all = terms.map(function (q) { return shardsFor(ix, q); });
    var chosen = all.map(function (list) { return list.slice(0, 1); });
    var taken = {};
    var bytes = 0;
    function take(s) {
      if (!taken[s]) { taken[s] = true; bytes += ix.groottes[s]; }
    }
    chosen.forEach(function (list) { list.forEach(take); });
    var cut = [];
    all.forEach(function (list, i) {
      for (var k = 1; k < list.length; k++) {
        if (!taken[list[k]] && bytes + ix.groottes[list[k]] > TERM_BYTES) { cut.push(terms[i]); return; }
        take(list[k]);
        chosen[i].push(list[k]);
      }
    });
    return { shards: chosen, cut: cut };
  }

  function queryTerms(ix, query) {
    return tokens(query || '', ix.stop).filter(function (t, i, a) {
      return a.indexOf(t) === i;
    });
  }

  /* The filter files (by name) that `filters` needs: s<i> section, g<k> gemeente, h<t>
     thema; null for a value the index does not know. */
  function filterNames(ix, filters) {
    var out = [];
    var sectie = position(ix.secties.map(function (s) { return s.naam; }), filters.sectie);
    var known = [[filters.sectie, 's', sectie], [filters.gemeente, 'g', position(ix.gemeenten, filters.gemeente)],
      [filters.thema, 'h', position(ix.themas, filters.thema)]];
    for (var i = 0; i < known.length; i++) {
      if (!known[i][0]) continue;
      if (known[i][2] < 0) return null;
      out.push(known[i][1] + known[i][2]);
    }
    return out;
  }

  /* The scripts (relative to the search page) that `query` with `filters` needs and that
     have not been loaded yet. */
  function missing(ix, query, filters) {
    var loaded = ix.deel || {};
    var sets = ix.filter || {};
    var out = [];
    plan(ix, queryTerms(ix, query)).shards.forEach(function (list) {
      list.forEach(function (s) {
        var src = 'termen/' + s + '.js';
        if (!loaded[s] && out.indexOf(src) < 0) out.push(src);
      });
    });
    (filterNames(ix, filters || {}) || []).forEach(function (name) {
      if (sets[name] === undefined) out.push('filters/' + name + '.js');
    });
    return out;
  }

  /* Called by each term shard script with [terms, packed postings]. */
  global.RAAD_ZOEK_TERMEN = function (n, shard) {
    var ix = global.RAAD_ZOEK;
    if (!ix) return;
    ix.deel = ix.deel || {};
    ix.deel[n] = { termen: shard[0], postings: shard[1], open: {} };
  };

  /* Called by each filter script with the bitmap of its documents. */
  global.RAAD_ZOEK_FILTER = function (name, bits) {
    var ix = global.RAAD_ZOEK;
    if (!ix) return;
    ix.filter = ix.filter || {};
    ix.filter[name] = bits;
  };

  function inFilter(bits, d) {
    var c = Math.floor(d / 6);
    return c < bits.length && ((VALUE[bits.charCodeAt(c)] >> (d % 6)) & 1) === 1;
  }

  /* The postings of term `i` of `shard`, unpacked once: { docs, weights }. A character per
     posting: the weight in its low five bits; its sixth bit set when the document follows
     the one before, else the number of documents skipped minus one follows, five bits per
     character, lowest first, the sixth bit set while more follow. */
  function unpack(shard, i) {
    if (shard.open[i]) return shard.open[i];
    var packed = shard.postings[i];
    var docs = new Int32Array(packed.length);
    var weights = new Uint8Array(packed.length);
    var count = 0;
    var next = 0;
    for (var k = 0; k < packed.length;) {
      var c = VALUE[packed.charCodeAt(k++)];
      if ((c & 32) === 0) {
        var gap = 0;
        var shift = 0;
        var more = 32;
        while (more) {
          var v = VALUE[packed.charCodeAt(k++)];
          gap += (v & 31) * Math.pow(2, shift);
          shift += 5;
          more = v & 32;
        }
        next += gap + 1;
      }
      docs[count] = next;
      weights[count++] = c & 31;
      next += 1;
    }
    shard.open[i] = { docs: docs.subarray(0, count), weights: weights.subarray(0, count) };
    return shard.open[i];
  }

  /* `docs` (with their `scores`) best first, equal scores by number (newest first), ranked
     a page at a time: `length`, and `slice(from, to)` as of an array. A match's key is the
     score's distance from the best (to a millionth) times a power of two above the number
     of documents, plus the document: keys sort as the results do. A page is the smallest
     keys above the last one ranked, found in one pass, not a sort of 100,000 matches. */
  function ranking(docs, scores, n) {
    var M = 1;
    while (M < n) M *= 2;
    var best = 0;
    for (var i = 0; i < scores.length; i++) if (scores[i] > best) best = scores[i];
    var scale = Math.min(1e6, Math.floor(Math.pow(2, 52) / (M * (best + 1))));
    var keys = new Float64Array(docs.length);
    for (var j = 0; j < docs.length; j++) {
      keys[j] = Math.round((best - scores[j]) * scale) * M + docs[j];
    }
    var order = [];
    return {
      length: keys.length,
      slice: function (from, to) {
        to = Math.min(to, keys.length);
        while (order.length < to) {
          smallest(keys, order.length ? order[order.length - 1] : -1, Math.max(to - order.length, SHOWN))
            .forEach(function (key) { order.push(key); });
        }
        return order.slice(from, to).map(function (key) { return key % M; });
      }
    };
  }

  /* The `k` smallest of `keys` above `after`, in order. */
  function smallest(keys, after, k) {
    var heap = new Float64Array(k); // a max-heap: heap[0] the largest kept
    var size = 0;
    for (var i = 0; i < keys.length; i++) {
      var x = keys[i];
      if (x <= after || (size === k && x >= heap[0])) continue;
      if (size < k) siftUp(heap, size++, x); else siftDown(heap, size, x);
    }
    return Array.prototype.slice.call(heap.subarray(0, size)).sort(function (a, b) { return a - b; });
  }

  function siftUp(heap, at, x) {
    while (at > 0) {
      var up = (at - 1) >> 1;
      if (heap[up] >= x) break;
      heap[at] = heap[up];
      at = up;
    }
    heap[at] = x;
  }

  /* Replaces the largest of `heap` by `x`. */
  function siftDown(heap, size, x) {
    var at = 0;
    for (;;) {
      var c = 2 * at + 1;
      if (c >= size) break;
      if (c + 1 < size && heap[c + 1] > heap[c]) c += 1;
      if (heap[c] <= x) break;
      heap[at] = heap[c];
      at = c;
    }
    heap[at] = x;
  }

  function position(list, value) {
    return value ? list.indexOf(value) : -1;
  }

  /* Ranks the documents of index `ix` for `query` (BM25 levels of the body, plus a bonus for
     words in the title, kenmerk or summary). `filters`: { sectie, gemeente, thema } (names,
     may be empty). Uses the shards and filters loaded so far (see `missing`). Returns
     { terms, results, cut: [query words whose longer words were not all searched] }, the
     results best first, then newest first: `length`, and `slice(from, to)` for the
     document numbers of a page of them (see `ranking`). */
  function search(ix, query, filters) {
    filters = filters || {};
    var terms = queryTerms(ix, query);
    var names = filterNames(ix, filters);
    var planned = plan(ix, terms);
    var cut = planned.cut;
    if (names === null || (!terms.length && !names.length)) return { terms: terms, results: [], cut: cut };
    var sets = names.map(function (name) { return (ix.filter || {})[name] || ''; });
    function keep(d) {
      for (var i = 0; i < sets.length; i++) if (!inFilter(sets[i], d)) return false;
      return true;
    }
    if (!terms.length) {
      var all = [];
      for (var d = 0; d < ix.n; d++) if (keep(d)) all.push(d);
      return { terms: terms, results: all, cut: cut };
    }
    return { terms: terms, results: scored(ix, terms, planned.shards, sets.length ? keep : null), cut: cut };
  }

  /* The documents that match every word of `terms` (each in its `shards`) and `keep` them
     (null: all), ranked. */
  function scored(ix, terms, shards, keep) {
    var work = buffers(ix, terms.length);
    terms.forEach(function (q, i) {
      shards[i].forEach(function (s) {
        var shard = (ix.deel || {})[s];
        if (shard) score(shard, q, work, i);
      });
    });
    var last = work.stamp + terms.length - 1; // the mark of a match of every word
    var found = 0;
    for (var d = 0; d < ix.n; d++) {
      if (work.mark[d] === last && (!keep || keep(d))) {
        work.docs[found] = d;
        work.scores[found++] = work.sum[d] + work.best[d];
      }
    }
    return ranking(work.docs.subarray(0, found), work.scores.subarray(0, found), ix.n);
  }

  /* Arrays of a number per document, made once per index: new ones for every query took
     longer than the search. Per document the sum of the scores of the query words before
     the current one, the score of the current one (`best`, the best of the words that start
     with it) and the number of the last query word that matched it (`mark`), counted from
     `stamp`, which no earlier search used, so that nothing needs clearing. */
  function buffers(ix, words) {
    var n = ix.n;
    var work = ix.werk;
    if (!work || work.next + words >= 0x7fffffff) {
      work = ix.werk = {
        sum: new Float64Array(n), best: new Float64Array(n), mark: new Int32Array(n),
        docs: new Int32Array(n), scores: new Float64Array(n), next: 1
      };
    }
    work.stamp = work.next;
    work.next += words;
    return work;
  }

  /* Scores query word `i` (`q`) into `work` for the documents with a word of `shard` that
     starts with it and every query word before. */
  function score(shard, q, work, i) {
    var mark = work.mark;
    var best = work.best;
    var sum = work.sum;
    var now = work.stamp + i;
    for (var t = lowerBound(shard.termen, q); t < shard.termen.length; t++) {
      var term = shard.termen[t];
      if (term.lastIndexOf(q, 0) !== 0) break;
      var p = unpack(shard, t);
      var table = weights(mark.length, p.docs.length, term === q);
      for (var j = 0; j < p.docs.length; j++) {
        var d = p.docs[j];
        var s = table[p.weights[j]];
        if (mark[d] === now) {
          if (s > best[d]) best[d] = s;
        } else if (i === 0 || mark[d] === now - 1) {
          sum[d] = i === 0 ? 0 : sum[d] + best[d];
          best[d] = s;
          mark[d] = now;
        }
      }
    }
  }

  /* The score of each of the 32 weights of a posting, for a word in `df` of `n` documents. */
  function weights(n, df, exact) {
    var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * (exact ? 1 : PREFIX_FACTOR);
    var table = new Float64Array(32);
    for (var w = 0; w < 32; w++) {
      var s = idf * ((w & 1) * TITLE_BONUS + ((w >> 1) & 1) * DESCRIPTION_BONUS +
        (w >> 2) * (K1 + 1) / LEVELS);
      // Never zero: a match counts also where its weight is.
      table[w] = Math.max(s, 1e-9);
    }
    return table;
  }

  /* The expression that finds words starting with one of `terms`; the last one is kept, as
     every result of a query asks for the same. */
  var wordsAt = { key: null, re: null };
  function termsPattern(terms) {
    var key = terms.join('|');
    if (wordsAt.key !== key) {
      var escaped = terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); });
      wordsAt = { key: key, re: new RegExp('(^|[^\\p{L}\\p{N}])(' + escaped.join('|') + ')', 'gu') };
    }
    wordsAt.re.lastIndex = 0;
    return wordsAt.re;
  }

  /* Ranges [start, end) in `text` of the words that start with one of `terms`. */
  function matches(text, terms) {
    if (!terms.length) return [];
    var folded = foldWithMap(text);
    var re = termsPattern(terms);
    var out = [];
    var m;
    while ((m = re.exec(folded.text)) !== null) {
      var start = m.index + m[1].length;
      var end = start + m[2].length;
      while (end < folded.text.length && WORD_CHAR.test(folded.text[end])) end++;
      out.push([folded.map[start], folded.map[end]]);
      re.lastIndex = end;
    }
    return out;
  }

  /* Fills `el` with `text`, the matches of `terms` in <mark>. */
  function highlight(el, text, terms) {
    el.textContent = '';
    var at = 0;
    matches(text, terms).forEach(function (r) {
      if (r[0] > at) el.appendChild(document.createTextNode(text.slice(at, r[0])));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(r[0], r[1]);
      el.appendChild(mark);
      at = r[1];
    });
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }

  /* A piece of `text` around the first match, cut at spaces; `found`: the matches of
     `terms` in `text` when known. */
  function snippet(text, terms, found) {
    found = found || matches(text, terms);
    var from = found.length ? Math.max(0, found[0][0] - 60) : 0;
    if (from > 0) {
      var space = text.indexOf(' ', from);
      from = space >= 0 && space < found[0][0] ? space + 1 : from;
    }
    var to = Math.min(text.length, from + SNIPPET);
    if (to < text.length) {
      var back = text.lastIndexOf(' ', to);
      to = back > from ? back : to;
    }
    return (from > 0 ? '\u2026 ' : '') + text.slice(from, to) + (to < text.length ? ' \u2026' : '');
  }

  // A count as Dutch readers write it: 12.345 (a point between thousands).
  function aantal(n) {
    return String(n).replace(/\B(?=(\d{3})+$)/g, '.');
  }

  var api = {
    fold: fold, tokens: tokens, search: search, missing: missing, matches: matches, snippet: snippet,
    aantal: aantal
  };
  global.RaadZoek = api;

  if (typeof document === 'undefined') return;

  var docs = {};
  var scripts = {};
  var shown = 0;
  var current = { terms: [], results: [] };
  var generation = 0;

  /* Adds <script src> once; calls `done(ok)` when it has run or failed. */
  function load(src, done) {
    var state = scripts[src];
    if (state && state.result !== undefined) { done(state.result); return; }
    if (state) { state.waiting.push(done); return; }
    state = scripts[src] = { waiting: [done] };
    var el = document.createElement('script');
    function finish(ok) {
      state.result = ok;
      state.waiting.splice(0).forEach(function (f) { f(ok); });
    }
    el.onload = function () { finish(true); };
    el.onerror = function () { finish(false); };
    el.src = src;
    document.head.appendChild(el);
  }

  /* Loads every script of `srcs`, then calls `done(ok)`: false when one failed. */
  function loadAll(srcs, done) {
    var left = srcs.length;
    var failed = false;
    if (!left) { done(true); return; }
    srcs.forEach(function (src) {
      load(src, function (ok) {
        failed = failed || !ok;
        left -= 1;
        if (left === 0) done(!failed);
      });
    });
  }

  global.RAAD_ZOEK_DOCS = function (shard, list) {
    docs[shard] = list;
  };

  /* Document `d` as a result shows it, once its shard has loaded; else null. */
  function doc(ix, d) {
    var shard = docs[Math.floor(d / ix.per_deel)];
    return shard ? shard[d % ix.per_deel] || null : null;
  }

  function kindLabel(doc) {
    if (doc.s === 'brief') return 'Brief';
    if (doc.s === 'opgave') return doc.n !== undefined ? 'Opgave ' + doc.n : 'Opgave';
    return 'Pagina';
  }

  function filtersOf(form) {
    var filters = {};
    ['sectie', 'gemeente', 'thema'].forEach(function (name) {
      var el = form.elements[name];
      filters[name] = el ? el.value : '';
    });
    return filters;
  }

  function render(ix, form, status, list) {
    var q = form.elements.q.value;
    var filters = filtersOf(form);
    var asked = ++generation;
    if (!q.trim() && !filters.sectie && !filters.gemeente && !filters.thema) {
      list.textContent = '';
      shown = 0;
      current = { terms: [], results: [] };
      status.textContent = '';
      more(ix, list, false);
      return;
    }
    loadAll(missing(ix, q, filters), function (ok) {
      // Only if the form still asks for the same: the reader may have typed on.
      if (asked !== generation) return;
      if (!ok) { status.textContent = 'De zoekindex kon niet worden geladen.'; return; }
      var found = search(ix, q, filters);
      list.textContent = '';
      shown = 0;
      var n = found.results.length;
      current = found;
      more(ix, list, false, function () {
        if (n === 0) {
          status.textContent = 'Geen resultaten' + (q.trim() ? ' voor \u201c' + q.trim() + '\u201d' : '') + '.';
        } else {
          status.textContent = (n === 1 ? '1 resultaat' : aantal(n) + ' resultaten') +
            (n > SHOWN ? ', de eerste ' + SHOWN + ' staan hieronder' : '');
        }
        if (found.cut.length) {
          status.textContent = status.textContent.replace(/\.?$/, '.') + ' Er zijn zeer veel woorden die beginnen met \u201c' + found.cut.join('\u201d, \u201c') +
            '\u201d; niet alle zijn meegezocht. Typ een langer woord voor een volledig resultaat.';
        }
      });
    });
  }

  /* One result: its title as a link, what it is, and a snippet of its text. */
  function item(ix, d, terms) {
    var found = doc(ix, d) || { t: 'Document ' + (d + 1), u: '', s: '' };
    var li = document.createElement('li');
    li.className = 'resultaat';
    var h = document.createElement('h2');
    var a = document.createElement('a');
    a.href = '../' + found.u;
    highlight(a, found.t, terms);
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement('p');
    meta.className = 'resultaat-meta';
    var parts = [kindLabel(found)];
    if (found.d) parts.push(found.d);
    if (found.k) parts.push('kenmerk ' + found.k);
    meta.textContent = parts.join(' \u00b7 ');
    li.appendChild(meta);
    var p = document.createElement('p');
    p.className = 'resultaat-fragment';
    var text = found.x || '';
    var inText = matches(text, terms);
    var source = inText.length ? text : (found.o || text);
    highlight(p, snippet(source, terms, inText.length ? inText : null), terms);
    li.appendChild(p);
    return { li: li, link: a };
  }

  /* Adds the next SHOWN results to the list, each as soon as its document shard and those
     of the results before it have loaded; `focus`: move focus to the first new one; calls
     `done` once the count of results is known (at once). */
  function more(ix, list, focus, done) {
    var button = document.getElementById('zoek-meer');
    var next = current.results.slice(shown, shown + SHOWN);
    var asked = generation;
    var ready = next.map(function () { return false; });
    var added = 0;
    function flush() {
      if (asked !== generation) return;
      while (added < next.length && ready[added]) {
        var made = item(ix, next[added], current.terms);
        list.appendChild(made.li);
        if (focus && added === 0) made.link.focus();
        added += 1;
      }
    }
    next.forEach(function (d, k) {
      load('docs/' + Math.floor(d / ix.per_deel) + '.js', function () {
        ready[k] = true;
        flush();
      });
    });
    shown += next.length;
    if (button) {
      var left = current.results.length - shown;
      button.hidden = left <= 0;
      button.textContent = 'Meer resultaten tonen (nog ' + aantal(left) + ')';
    }
    if (done) done();
  }

  function start() {
    var form = document.getElementById('zoekformulier');
    if (!form) return;
    var status = document.getElementById('zoek-status');
    var list = document.getElementById('zoek-resultaten');
    var noJs = document.getElementById('zoek-zonder-js');
    var ix = global.RAAD_ZOEK;
    if (!ix || ix.versie !== 2) {
      status.textContent = 'De zoekindex kon niet worden geladen.';
      return;
    }
    if (noJs) noJs.hidden = true;
    form.hidden = false;
    var params = new URLSearchParams(location.search);
    ['q', 'sectie', 'gemeente', 'thema'].forEach(function (name) {
      var el = form.elements[name];
      if (el && params.get(name)) el.value = params.get(name);
    });
    var timer = null;
    function run() {
      clearTimeout(timer);
      render(ix, form, status, list);
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      run();
      // Keep the address shareable; not allowed on file:// in some browsers.
      try {
        var query = new URLSearchParams(new FormData(form));
        Array.from(query.keys()).forEach(function (k) { if (!query.get(k)) query.delete(k); });
        history.replaceState(null, '', '?' + query.toString());
      } catch (err) { /* the results are shown all the same */ }
    });
    var button = document.getElementById('zoek-meer');
    if (button) button.addEventListener('click', function () { more(ix, list, true); });
    form.elements.q.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 250);
    });
    ['sectie', 'gemeente', 'thema'].forEach(function (name) {
      var el = form.elements[name];
      if (el) el.addEventListener('change', run);
    });
    run();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})(typeof window !== 'undefined' ? window : globalThis);
