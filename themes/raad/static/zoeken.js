/* Search for raadsite. Works from file://, from a zip and on any web server: the document
   table is the script zoeken/index.js (window.RAAD_ZOEK, built by raadsite); the inverted
   index comes in shards of sorted terms (zoeken/termen/N.js) and the texts for the snippets
   in shards of documents (zoeken/tekst/N.js). Shards are added as <script> elements when a
   query needs them, because fetch() of local files fails on file://. No third-party code.

   Words are folded exactly as raadsite folds them when it builds the index (src/search.rs):
   lowercase, accents removed, apostrophes dropped, stop words (listed in the index) left out.
   A query word matches every indexed word that starts with it; all words must match. */
(function (global) {
  'use strict';

  var K1 = 1.2;
  var B = 0.75;
  var PREFIX_FACTOR = 0.6; // a word that only starts with the query word counts less
  // A posting's weight is 4 * (count in the body) + 1 (in title or kenmerk) + 2 (in the
  // summary), as raadsite writes it. A title match outweighs any number of body matches.
  var TITLE_BONUS = 2.5;
  var DESCRIPTION_BONUS = 0.8;
  var SHOWN = 20; // results per step; each may load a text shard for its snippet
  var SNIPPET = 220;

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

  /* The folded text and, for every folded character, its offset in the original. */
  function foldWithMap(text) {
    var out = '';
    var map = [];
    var i = 0;
    for (var ch of text) {
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

  /* Numbers of the term shards that can hold words starting with `q`. */
  function shardsFor(ix, q) {
    if (!ix.delen.length) return [];
    var at = lowerBound(ix.delen, q);
    // The shard whose range holds q itself, then those that start with q.
    var first = at < ix.delen.length && ix.delen[at] === q ? at : Math.max(0, at - 1);
    var out = [first];
    for (var s = first + 1; s < ix.delen.length && ix.delen[s].lastIndexOf(q, 0) === 0; s++) {
      out.push(s);
    }
    return out;
  }

  function queryTerms(ix, query) {
    return tokens(query || '', ix.stop).filter(function (t, i, a) {
      return a.indexOf(t) === i;
    });
  }

  /* The term shards `query` needs that have not been loaded yet. */
  function missing(ix, query) {
    var loaded = ix.deel || {};
    var out = [];
    queryTerms(ix, query).forEach(function (q) {
      shardsFor(ix, q).forEach(function (s) {
        if (!loaded[s] && out.indexOf(s) < 0) out.push(s);
      });
    });
    return out;
  }

  /* Called by each term shard script with [terms, postings]. */
  global.RAAD_ZOEK_TERMEN = function (n, shard) {
    var ix = global.RAAD_ZOEK;
    if (!ix) return;
    ix.deel = ix.deel || {};
    ix.deel[n] = { termen: shard[0], postings: shard[1] };
  };

  function prepare(ix) {
    if (ix._avg) return;
    var total = 0;
    ix.docs.forEach(function (d) { total += d.l; });
    ix._avg = Math.max(1, total / Math.max(1, ix.docs.length));
  }

  function position(list, value) {
    return value ? list.indexOf(value) : -1;
  }

  /* Ranks the documents of index `ix` for `query` (BM25 over the body, plus a bonus for
     words in the title, kenmerk or summary). `filters`: { sectie, gemeente, thema } (names, may be
     empty). Uses the term shards loaded so far (see `missing`). Returns
     { terms, results: [document index] }. */
  function search(ix, query, filters) {
    prepare(ix);
    filters = filters || {};
    var terms = queryTerms(ix, query);
    var sectie = position(ix.secties.map(function (s) { return s.naam; }), filters.sectie);
    var gemeente = position(ix.gemeenten, filters.gemeente);
    var thema = position(ix.themas, filters.thema);
    var unknownFilter = (filters.sectie && sectie < 0) || (filters.gemeente && gemeente < 0) ||
      (filters.thema && thema < 0);
    var filtered = sectie >= 0 || gemeente >= 0 || thema >= 0;
    if (unknownFilter || (!terms.length && !filtered)) return { terms: terms, results: [] };
    function keep(d) {
      var doc = ix.docs[d];
      return (sectie < 0 || doc.c === sectie) &&
        (gemeente < 0 || (doc.g || []).indexOf(gemeente) >= 0) &&
        (thema < 0 || (doc.h || []).indexOf(thema) >= 0);
    }
    var scores = null;
    var n = ix.docs.length;
    terms.forEach(function (q) {
      var best = new Map();
      shardsFor(ix, q).forEach(function (s) {
        var shard = (ix.deel || {})[s];
        if (shard) score(shard, q, best);
      });
      var next = new Map();
      best.forEach(function (s, d) {
        if (scores === null) next.set(d, s);
        else if (scores.has(d)) next.set(d, scores.get(d) + s);
      });
      scores = next;
    });
    function score(shard, q, best) {
      for (var i = lowerBound(shard.termen, q); i < shard.termen.length; i++) {
        var term = shard.termen[i];
        if (term.lastIndexOf(q, 0) !== 0) break;
        var p = shard.postings[i];
        var df = p.length / 2;
        var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * (term === q ? 1 : PREFIX_FACTOR);
        var d = 0;
        for (var j = 0; j < p.length; j += 2) {
          d += p[j];
          var w = p[j + 1];
          var tf = w >> 2;
          var s = idf * ((w & 1) * TITLE_BONUS + ((w >> 1) & 1) * DESCRIPTION_BONUS +
            tf * (K1 + 1) / (tf + K1 * (1 - B + B * ix.docs[d].l / ix._avg)));
          var prev = best.get(d);
          if (prev === undefined || s > prev) best.set(d, s);
        }
      }
    }
    var results = [];
    if (scores === null) {
      for (var d = 0; d < n; d++) if (keep(d)) results.push(d);
      scores = new Map();
    } else {
      scores.forEach(function (s, d) { if (keep(d)) results.push(d); });
    }
    results.sort(function (a, b) {
      var sa = scores.get(a) || 0;
      var sb = scores.get(b) || 0;
      if (sa !== sb) return sb - sa;
      var da = ix.docs[a].i || '';
      var db = ix.docs[b].i || '';
      if (da !== db) return da < db ? 1 : -1;
      return a - b;
    });
    return { terms: terms, results: results };
  }

  /* Ranges [start, end) in `text` of the words that start with one of `terms`. */
  function matches(text, terms) {
    if (!terms.length) return [];
    var folded = foldWithMap(text);
    var escaped = terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); });
    var re = new RegExp('(^|[^\\p{L}\\p{N}])(' + escaped.join('|') + ')', 'gu');
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

  /* A piece of `text` around the first match, cut at spaces. */
  function snippet(text, terms) {
    var found = matches(text, terms);
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

  var api = {
    fold: fold, tokens: tokens, search: search, missing: missing, matches: matches, snippet: snippet
  };
  global.RaadZoek = api;

  if (typeof document === 'undefined') return;

  var texts = {};
  var scripts = {};
  var shown = [];
  var shownTerms = [];
  var current = { terms: [], results: [] };

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

  /* The text of document `d`, or null while its shard loads (then `onLoad` is called), or
     '' when the shard could not be loaded. */
  function text(ix, d, onLoad) {
    var shard = Math.floor(d / ix.per_shard);
    if (texts[shard]) return texts[shard][d % ix.per_shard] || '';
    var src = 'tekst/' + shard + '.js';
    if (scripts[src] && scripts[src].result !== undefined) return '';
    load(src, onLoad);
    return null;
  }

  global.RAAD_ZOEK_TEKST = function (shard, list) {
    texts[shard] = list;
  };

  function kindLabel(doc) {
    if (doc.s === 'brief') return 'Brief';
    if (doc.s === 'opgave') return doc.n !== undefined ? 'Opgave ' + doc.n : 'Opgave';
    return 'Pagina';
  }

  function fillSnippets(ix) {
    var terms = shownTerms;
    shown.forEach(function (item) {
      if (item.done) return;
      var t = text(ix, item.doc, function () { fillSnippets(ix); });
      var doc = ix.docs[item.doc];
      var source = t !== null && matches(t, terms).length ? t : (doc.o || t || '');
      if (t !== null || doc.o) highlight(item.el, snippet(source, terms), terms);
      item.done = t !== null;
    });
  }

  function render(ix, form, status, list) {
    var q = form.elements.q.value;
    var filters = {};
    ['sectie', 'gemeente', 'thema'].forEach(function (name) {
      var el = form.elements[name];
      filters[name] = el ? el.value : '';
    });
    if (!q.trim() && !filters.sectie && !filters.gemeente && !filters.thema) {
      list.textContent = '';
      shown = [];
      current = { terms: [], results: [] };
      status.textContent = '';
      more(ix, list, false);
      return;
    }
    var needed = missing(ix, q);
    if (needed.length) {
      var left = needed.length;
      var failed = false;
      needed.forEach(function (s) {
        load('termen/' + s + '.js', function (ok) {
          failed = failed || !ok;
          left -= 1;
          if (left > 0) return;
          if (failed) status.textContent = 'De zoekindex kon niet worden geladen.';
          // Only if the form still asks for the same: the reader may have typed on.
          else if (form.elements.q.value === q) render(ix, form, status, list);
        });
      });
      return;
    }
    var found = search(ix, q, filters);
    list.textContent = '';
    shown = [];
    var n = found.results.length;
    if (n === 0) {
      status.textContent = 'Geen resultaten' + (q.trim() ? ' voor \u201c' + q.trim() + '\u201d' : '') + '.';
    } else {
      status.textContent = (n === 1 ? '1 resultaat' : n + ' resultaten') +
        (n > SHOWN ? ', de eerste ' + SHOWN + ' staan hieronder' : '');
    }
    shownTerms = found.terms;
    current = found;
    more(ix, list, false);
  }

  /* Adds the next SHOWN results to the list; `focus`: move focus to the first new one. */
  function more(ix, list, focus) {
    var button = document.getElementById('zoek-meer');
    var from = shown.length;
    var next = current.results.slice(from, from + SHOWN);
    next.forEach(function (d) {
      var doc = ix.docs[d];
      var li = document.createElement('li');
      li.className = 'resultaat';
      var h = document.createElement('h2');
      var a = document.createElement('a');
      a.href = '../' + doc.u;
      highlight(a, doc.t, current.terms);
      h.appendChild(a);
      li.appendChild(h);
      var meta = document.createElement('p');
      meta.className = 'resultaat-meta';
      var parts = [kindLabel(doc)];
      if (doc.d) parts.push(doc.d);
      if (doc.k) parts.push('kenmerk ' + doc.k);
      meta.textContent = parts.join(' \u00b7 ');
      li.appendChild(meta);
      var p = document.createElement('p');
      p.className = 'resultaat-fragment';
      li.appendChild(p);
      list.appendChild(li);
      shown.push({ doc: d, el: p, done: false });
      if (focus && d === next[0]) a.focus();
    });
    fillSnippets(ix);
    if (button) {
      var left = current.results.length - shown.length;
      button.hidden = left <= 0;
      button.textContent = 'Meer resultaten tonen (nog ' + left + ')';
    }
  }

  function start() {
    var form = document.getElementById('zoekformulier');
    if (!form) return;
    var status = document.getElementById('zoek-status');
    var list = document.getElementById('zoek-resultaten');
    var noJs = document.getElementById('zoek-zonder-js');
    var ix = global.RAAD_ZOEK;
    if (!ix) {
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
