// comment-graph page. Every string from the data is shown with textContent, never as HTML.
//
// Two ways to open: a page of up to BOUNDED_LIMIT nodes draws every comment and entity with
// physics; a larger one opens on a map of its most-mentioned entities, joined by how often
// comments name them together, and brings comments and further entities on demand. Both
// focus an entity's neighbourhood on click (the rest dimmed), list its evidence, and search
// comment text as well as names.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var info = data.info, KINDS = ["comment", "person", "organization", "concept", "work"];
  var PLURAL = {comment: "comments", person: "people", organization: "organizations", concept: "concepts", work: "works"};
  var large = Boolean(data.initial);
  var CO_PER_NODE = 4;        // co-mention edges drawn per entity: enough to show clusters, not a hairball
  var HOOD = [20, 6];         // neighbours taken per entity at depth 1, and per neighbour at depth 2
  var ROWS = 50;              // panel rows rendered at a time
  var MAX_REVEAL = 60;        // comments one click puts on a large page's canvas
  var DIM = "rgba(190,196,204,0.25)", DIM_FONT = "rgba(120,120,120,0.3)", FONT = "#343434";
  var hidden = {}, dimmed = new Set(), trail = [], focused = null, lit = null;  // lit: the focus's neighbourhood

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function plural(n, word, many) { return n.toLocaleString("en") + " " + (n === 1 ? word : many || word + "s"); }
  if (data.heading) {  // which part of a build this page draws (html --around)
    document.title = "comment-graph: " + data.heading;
    document.querySelector("header h1").textContent = "comment-graph: " + data.heading;
  }

  // ---- indexes: every link is derived once from the comments' own mentions and authors ----
  var byId = {}, rowsOf = {}, wroteOf = {}, links = {}, allEdges = {}, lowered = {};
  data.nodes.forEach(function (n) {
    n.font = n.font || {size: 12};
    byId[n.id] = n;
  });
  function link(from, to, kind) {  // links[] holds each edge under its comment end, or both entity ends
    var id = kind + ":" + from + ":" + to;
    if (allEdges[id]) return;
    var st = data.edgeStyle[kind];
    allEdges[id] = {id: id, from: from, to: to, kind: kind, color: {color: st.color}, dashes: st.dashes};
    (links[from] = links[from] || []).push(id);
    if (kind === "created") (links[to] = links[to] || []).push(id);
  }
  data.edges.forEach(function (e) { link(e.from, e.to, e.kind); });
  // The comments come in JSON blocks after the map's data: a large page draws its map first and
  // reads them a few blocks at a time (no task long enough to stall the page); anything that
  // needs them all first reads the rest at once.
  var blocks = Array.prototype.slice.call(document.querySelectorAll("script.comment-data"));
  function readBlock(block) {
    var part = JSON.parse(block.textContent);
    Object.keys(part).forEach(function (id) {
      var i = info[id] = part[id];
      lowered[id] = i.text.toLowerCase();  // for search, made here in small steps rather than at the first search
      i.mentions.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });  // the longer of two at one place first
      var seen = {};
      i.mentions.forEach(function (m) {  // one row per comment naming the entity, at its first mention
        if (!seen[m[3]]) { seen[m[3]] = true; (rowsOf[m[3]] = rowsOf[m[3]] || []).push([id, m[0], m[1]]); }
        link(id, m[3], "mentions");
      });
      if (i.by) { (wroteOf[i.by] = wroteOf[i.by] || []).push(id); link(id, i.by, "wrote"); }
    });
  }
  function readAll() {
    while (blocks.length) readBlock(blocks.shift());
    api.loaded = true;
  }
  function readSome() {
    var t = performance.now();
    while (blocks.length && performance.now() - t < 25) readBlock(blocks.shift());
    if (blocks.length) setTimeout(readSome, 0); else api.loaded = true;
  }
  var api = window.commentGraph = {data: data, ready: false, loaded: false, firstDrawMs: null};
  if (!large) readAll();  // a small page draws its comments from the start

  // ---- what is on the canvas: the nodes DataSet; kinds hidden in the legend are filtered out ----
  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  var view = new vis.DataView(nodes, {filter: function (n) { return !hidden[n.group]; }});
  var edgeView = new vis.DataView(edges, {filter: function (e) {
    if (hidden[byId[e.from].group] || hidden[byId[e.to].group]) return false;
    return e.kind !== "co" || large || hidden.comment;  // hide comments, keep who is named with whom
  }});
  function onCanvas(id) { return nodes.get(id) !== null; }
  function inView(id) { return view.get(id) !== null; }
  function isEntity(id) { return info[id] && info[id].kind !== "comment"; }

  function coEdges() {  // the strongest co-mentions among entities in view, and the focus's to its neighbourhood
    var want = {};
    nodes.getIds().forEach(function (id) {
      if (!isEntity(id) || !inView(id)) return;  // a hidden kind's links give way to the next strongest
      var taken = 0;
      (data.co[id] || []).forEach(function (p) {
        if ((taken < CO_PER_NODE || id === focused && lit.has(p[0])) && inView(p[0])) {
          var a = id < p[0] ? id : p[0], b = id < p[0] ? p[0] : id;
          want["co:" + a + ":" + b] = [a, b, p[1]];
          taken += 1;
        }
      });
    });
    return want;
  }
  function syncEdges() {
    var want = coEdges(), add = [], adding = new Set(), drop = [];
    edges.getIds().forEach(function (id) {
      var e = edges.get(id);
      if (e.kind === "co" ? !want[id] : !(onCanvas(e.from) && onCanvas(e.to))) drop.push(id);
    });
    Object.keys(want).forEach(function (id) {
      if (edges.get(id) === null) {
        var w = want[id], st = data.edgeStyle.co;
        add.push({id: id, from: w[0], to: w[1], kind: "co", width: Math.min(3, 0.5 + Math.log(w[2]) / 2.5),
                  color: {color: st.color}, title: info[w[0]].label + " and " + info[w[1]].label + ": named together in " + plural(w[2], "comment")});
      }
    });
    nodes.getIds().forEach(function (id) {
      (links[id] || []).forEach(function (eid) {
        var e = allEdges[eid];
        if (!adding.has(eid) && edges.get(eid) === null && onCanvas(e.from) && onCanvas(e.to)) { adding.add(eid); add.push(e); }
      });
    });
    if (drop.length) edges.remove(drop);
    if (add.length) edges.update(add);
  }
  function put(ids) {  // bring nodes onto the canvas, with the links among what is there
    if (blocks.length && ids.some(function (id) { return !isEntity(id); })) readAll();
    var fresh = ids.filter(function (id) { return byId[id] && !onCanvas(id); }).map(function (id) {
      var n = byId[id], copy = {};
      Object.keys(n).forEach(function (k) { copy[k] = n[k]; });
      copy.title = tooltip(id);
      dimmed.delete(id);  // a node put back is drawn in its own colours
      return copy;
    });
    if (fresh.length) nodes.add(fresh);
    return fresh.length;
  }
  function tooltip(id) {  // a plain string: vis-network shows string titles with innerText, never as HTML
    var i = info[id];
    if (i.kind === "comment") return i.label + "\n" + meta(i) + "\n" + i.text.slice(0, 160) + (i.text.length > 160 ? "…" : "");
    return i.label + "\n" + i.kind + " · " + plural(i.mentions, "mention") + " in " + plural(i.comments, "comment") +
      (i.aliases.length ? "\nalso: " + i.aliases.join(", ") : "");
  }
  function meta(i) {
    return [i.author ? "by " + i.author : "author not given", i.post, i.date].filter(Boolean).join(" · ");
  }

  put(large ? data.initial : data.nodes.map(function (n) { return n.id; }));
  syncEdges();
  var options = {
    physics: data.physics ? {stabilization: {iterations: 200}, barnesHut: {gravitationalConstant: -8000, springLength: 120}} : false,
    edges: {smooth: false, width: 1}, nodes: {font: {size: 12}},
    interaction: {hover: true, tooltipDelay: 150, selectConnectedEdges: false, hoverConnectedEdges: false},
    layout: {improvedLayout: data.nodes.length < 300}, groups: {}
  };
  KINDS.forEach(function (k) {  // vis colours nodes by group: give each kind the legend's colour and shape
    options.groups[k] = {color: {background: data.style[k].color, border: data.style[k].color}, shape: data.style[k].shape};
  });
  var network = new vis.Network(document.getElementById("graph"), {nodes: view, edges: edgeView}, options);
  network.once("stabilizationIterationsDone", function () { network.setOptions({physics: false}); });
  api.network = network; api.nodes = nodes; api.edges = edges;
  network.once("afterDrawing", function () {
    api.firstDrawMs = performance.now(); api.ready = true;
    if (blocks.length) setTimeout(readSome, 0);
  });

  // ---- focus: an entity's neighbourhood lit, the rest dimmed; a breadcrumb leads back ----
  function depth() { return Number(document.getElementById("depth").value) || 1; }
  function neighbourhood(id) {
    var hood = new Set([id]), ring = [id];
    for (var d = 0; d < depth(); d++) {
      var next = [];
      ring.forEach(function (n) {
        (data.co[n] || []).slice(0, HOOD[d]).forEach(function (p) { if (!hood.has(p[0])) { hood.add(p[0]); next.push(p[0]); } });
      });
      ring = next;
    }
    (links[id] || []).forEach(function (eid) { var e = allEdges[eid]; hood.add(e.from); hood.add(e.to); });  // work and creator
    (rowsOf[id] || []).forEach(function (r) { if (onCanvas(r[0])) hood.add(r[0]); });  // its comments on the canvas
    (wroteOf[id] || []).forEach(function (c) { if (onCanvas(c)) hood.add(c); });
    return hood;
  }
  function dim(lit) {
    var changes = [];
    nodes.getIds().forEach(function (id) {
      var n = byId[id], off = lit !== null && !lit.has(id);
      if (off === dimmed.has(id)) return;
      if (off) dimmed.add(id); else dimmed.delete(id);
      changes.push({id: id, color: off ? DIM : n.color,
                    font: {size: n.font.size, color: off ? DIM_FONT : FONT}});
    });
    if (changes.length) nodes.update(changes);
    var edgeChanges = [];
    edges.forEach(function (e) {
      var off = dimmed.has(e.from) || dimmed.has(e.to), want = off ? DIM : data.edgeStyle[e.kind].color;
      if ((e.color && e.color.color) !== want) edgeChanges.push({id: e.id, color: {color: want}});
    });
    if (edgeChanges.length) edges.update(edgeChanges);
  }
  function fitTo(ids) {
    var here = ids.filter(inView);
    if (here.length) network.fit({nodes: here, animation: false, maxZoomLevel: 1.2});
  }
  function focusEntity(id, keepTrail) {
    if (!isEntity(id)) return;
    var hood = neighbourhood(id);
    if (large) {  // the map, this neighbourhood and the trail: the canvas does not grow with every click
      var keep = new Set(data.initial.concat(Array.from(hood), trail));
      nodes.remove(nodes.getIds().filter(function (n) { return !keep.has(n); }));
      put(Array.from(hood));
    }
    focused = id; lit = hood;
    syncEdges();
    dim(hood);
    network.selectNodes(inView(id) ? [id] : []);
    fitTo(Array.from(hood));
    if (!keepTrail) push(id);
    show(id);
  }
  function showComment(id, at, keepTrail) {
    readAll();
    if (!info[id]) return;
    if (lit) lit.add(id);  // a comment opened from a focus belongs to it
    if (large && put([id])) { syncEdges(); dim(lit); }
    if (inView(id)) network.selectNodes([id]);
    if (!keepTrail) push(id);
    show(id, at);
  }
  function reset() {
    trail = []; focused = null; lit = null;
    if (large) {
      var keep = new Set(data.initial);
      nodes.remove(nodes.getIds().filter(function (id) { return !keep.has(id); }));
    }
    dimmed.clear();
    nodes.update(nodes.getIds().map(function (id) { return {id: id, color: byId[id].color, font: {size: byId[id].font.size, color: FONT}}; }));
    syncEdges();
    dim(null);  // edges back to their colours
    network.unselectAll();
    network.fit({animation: false});
    renderTrail();
    welcome();
  }
  function push(id) {
    var at = trail.indexOf(id);
    trail = at >= 0 ? trail.slice(0, at + 1) : trail.concat([id]).slice(-8);
    renderTrail();
  }
  function renderTrail() {
    var bar = document.getElementById("trail");
    bar.textContent = "";
    var home = el("a", {href: "#"}, large ? "Map" : "Whole graph");
    home.addEventListener("click", function (ev) { ev.preventDefault(); reset(); });
    bar.appendChild(home);
    trail.forEach(function (id, n) {
      bar.appendChild(document.createTextNode(" › "));
      var a = el("a", {href: "#"}, info[id].label.length > 30 ? info[id].label.slice(0, 29) + "…" : info[id].label);
      if (n === trail.length - 1) a.setAttribute("aria-current", "page");
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        trail = trail.slice(0, n + 1);
        renderTrail();
        if (isEntity(id)) focusEntity(id, true); else showComment(id, null, true);
      });
      bar.appendChild(a);
    });
  }
  api.focusEntity = function (id) { focusEntity(id); };
  api.showComment = function (id, at) { showComment(id, at); };
  api.isDimmed = function (id) { return dimmed.has(id); };
  api.reset = reset;

  // ---- the panel: a comment with its mentions marked, or an entity with its evidence ----
  function renderText(i) {
    var box = el("div", {"class": "text"}), text = i.text, marks = i.mentions;
    var quotes = i.quotes, pos = 0;
    function quoteAt(p) { return quotes.filter(function (q) { return q[0] <= p && p < q[1]; })[0] || null; }
    var lastQuote = null, lastQuoteEl = null;
    function holder(p) {
      var q = quoteAt(p);
      if (!q) return box;
      if (q !== lastQuote) { lastQuote = q; lastQuoteEl = el("blockquote", {}); box.appendChild(lastQuoteEl); }
      return lastQuoteEl;
    }
    function emit(s, e) {  // plain text from s to e, split where a quote starts or ends
      var cuts = [s, e];
      quotes.forEach(function (q) { [q[0], q[1]].forEach(function (c) { if (c > s && c < e) cuts.push(c); }); });
      cuts.sort(function (a, b) { return a - b; });
      for (var k = 0; k + 1 < cuts.length; k++) {
        if (cuts[k] < cuts[k + 1]) holder(cuts[k]).appendChild(document.createTextNode(text.slice(cuts[k], cuts[k + 1])));
      }
    }
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      emit(pos, m[0]);
      var target = info[m[3]];
      var mark = el("mark", {"class": m[2], "data-start": String(m[0]), "data-end": String(m[1]),
                             title: m[2] + ": " + (target ? target.label : "")}, text.slice(m[0], m[1]));
      mark.addEventListener("click", function () { focusEntity(m[3]); });
      holder(m[0]).appendChild(mark);
      pos = m[1];
    });
    emit(pos, text.length);
    return box;
  }
  function sentence(text, s, e) {  // the sentence around a mention, cut to about 240 characters
    var from = s, to = e;
    while (from > 0 && s - from < 200 && !/[.!?\n]/.test(text[from - 1])) from--;
    while (to < text.length && to - e < 200 && !/[.!?\n]/.test(text[to])) to++;
    if (to < text.length && /[.!?]/.test(text[to])) to++;
    return [from, to];
  }
  function evidenceRow(commentId, s, e, entity) {
    // the sentence around [s, e), every mention of `entity` in it marked (or just [s, e) for a search hit)
    var c = info[commentId], row = el("li", {"class": "row"}), text = c.text, span = sentence(text, s, e);
    var marks = entity ? c.mentions.filter(function (m) { return m[3] === entity && m[0] >= span[0] && m[1] <= span[1]; })
      : [[s, e, "hit"]];
    row.appendChild(el("div", {"class": "muted small"}, meta(c)));
    var words = el("div", {"class": "evidence"}), pos = span[0];
    if (span[0] > 0 && text[span[0] - 1] !== "\n") words.appendChild(document.createTextNode("…"));
    marks.forEach(function (m) {
      words.appendChild(document.createTextNode(text.slice(pos, m[0])));
      words.appendChild(el("mark", {"class": m[2]}, text.slice(m[0], m[1])));
      pos = m[1];
    });
    words.appendChild(document.createTextNode(text.slice(pos, span[1]).replace(/\s+$/, "")));
    if (span[1] < text.length && !/[.!?\n]/.test(text[span[1] - 1])) words.appendChild(document.createTextNode("…"));
    row.appendChild(words);
    var more = entity ? c.mentions.filter(function (m) { return m[3] === entity; }).length - marks.length : 0;
    if (more > 0) row.appendChild(el("div", {"class": "muted small"}, "and " + plural(more, "more mention") + " in this comment"));
    row.addEventListener("click", function () { showComment(commentId, s); });
    return row;
  }
  function commentRow(commentId) {
    var c = info[commentId], row = el("li", {"class": "row"});
    row.appendChild(el("div", {"class": "muted small"}, meta(c)));
    row.appendChild(el("div", {"class": "evidence"}, c.text.slice(0, 160) + (c.text.length > 160 ? "…" : "")));
    row.addEventListener("click", function () { showComment(commentId, null); });
    return row;
  }
  function rows(parent, items, make) {  // a long list renders ROWS at a time
    var ul = el("ul", {"class": "rows"}), shown = 0;
    parent.appendChild(ul);
    function more() {
      items.slice(shown, shown + ROWS).forEach(function (it) { ul.appendChild(make(it)); });
      shown = Math.min(items.length, shown + ROWS);
      if (button) button.remove();
      if (shown < items.length) {
        button = el("button", {type: "button"}, "Show " + Math.min(ROWS, items.length - shown) + " more of " + (items.length - shown));
        button.addEventListener("click", more);
        parent.appendChild(button);
      }
    }
    var button = null;
    more();
  }
  function show(id, at) {
    readAll();
    var i = info[id], d = document.getElementById("detail");
    d.textContent = "";
    d.appendChild(el("h2", {}, i.label));
    if (i.kind === "comment") {
      d.appendChild(el("p", {"class": "muted"}, meta(i) + " · id " + i.id));
      var body = renderText(i);
      d.appendChild(body);
      var mark = at === null || at === undefined ? null : Array.prototype.filter.call(body.querySelectorAll("mark"), function (m) {
        return Number(m.getAttribute("data-start")) <= at && at < Number(m.getAttribute("data-end"));  // a mention inside a longer one
      })[0];
      if (mark) { mark.classList.add("flash"); mark.scrollIntoView({block: "center"}); }
      return;
    }
    var here = rowsOf[id] || [], inComments = here.length;
    var line = i.kind + (i.unresolved ? " (unresolved)" : "") + " · " + plural(i.mentions, "mention") + " in " + plural(i.comments, "comment");
    if (inComments < i.comments) line += " · this page holds " + inComments.toLocaleString("en");
    d.appendChild(el("p", {"class": "muted"}, line));
    if (i.aliases.length) d.appendChild(el("p", {}, "Also written: " + i.aliases.join(", ")));
    var theirs = Array.from(new Set((wroteOf[id] || []).concat(here.map(function (r) { return r[0]; }))));
    if (large && theirs.length) {
      var reveal = el("button", {type: "button"}, "Show " + Math.min(MAX_REVEAL, theirs.length) + " of its comments on the map");
      reveal.addEventListener("click", function () {
        var ids = theirs.slice(0, MAX_REVEAL);
        put(ids);
        focused = id; lit = neighbourhood(id);
        syncEdges(); dim(lit); fitTo(ids.concat([id]));
      });
      d.appendChild(reveal);
    }
    var wrote = wroteOf[id] || [];
    if (wrote.length) {
      d.appendChild(el("h3", {}, "Wrote " + plural(wrote.length, "comment")));
      rows(d, wrote, commentRow);
    }
    if (here.length) {
      d.appendChild(el("h3", {}, "Named in " + plural(inComments, "comment")));
      rows(d, here, function (r) { return evidenceRow(r[0], r[1], r[2], id); });
    }
  }
  function welcome() {
    var d = document.getElementById("detail");
    d.textContent = "";
    d.appendChild(el("p", {"class": "muted"}, large
      ? "A map of the most-mentioned people, organizations, concepts and works, joined by how often comments name them together. Click one to focus its neighbourhood and read its evidence."
      : "Click a node to see its text or the words that mention it."));
  }
  network.on("click", function (p) {
    if (!p.nodes.length) return;
    if (isEntity(p.nodes[0])) focusEntity(p.nodes[0]); else showComment(p.nodes[0], null);
  });

  // ---- legend: kinds (tick to hide; links among the rest stay) and edges ----
  var legend = document.getElementById("legend"), GLYPH = {dot: "●", diamond: "◆", square: "■", triangle: "▲"};
  KINDS.forEach(function (k) {
    var label = el("label", {}), box = el("input", {type: "checkbox", "data-kind": k});
    box.checked = true;
    box.addEventListener("change", function () {
      hidden[k] = !box.checked;
      view.refresh(); syncEdges(); dim(lit); edgeView.refresh();
    });
    var sw = el("span", {"class": "glyph"}, GLYPH[data.style[k].shape] || "●");
    sw.style.color = data.style[k].color;
    label.appendChild(box); label.appendChild(sw); label.appendChild(document.createTextNode(k));
    legend.appendChild(label);
  });
  var edgeLegend = document.getElementById("edge-legend");
  Object.keys(data.edgeStyle).forEach(function (k) {
    var st = data.edgeStyle[k], item = el("span", {"class": "edge-key"}), line = el("span", {"class": "line"});
    line.style.borderTop = "2px " + (st.dashes ? "dashed " : "solid ") + st.color;
    item.appendChild(line); item.appendChild(document.createTextNode(st.label));
    edgeLegend.appendChild(item);
  });

  // ---- search: names and comment text; matches of hidden kinds are listed, never selected ----
  var search = document.getElementById("search"), timer = null;
  function matchesOf(q) {
    readAll();
    var entities = [], comments = [], exact = null;
    Object.keys(info).forEach(function (id) {
      var i = info[id];
      if (i.kind === "comment") {
        var at = lowered[id].indexOf(q);
        var hit = at < 0 ? null : lowered[id].length === i.text.length ? [id, at, at + q.length] : exactly(id, q);
        if (hit) comments.push(hit);
        return;
      }
      var names = [i.label].concat(i.aliases || []).map(function (n) { return n.toLowerCase(); });
      if (names.some(function (n) { return n.indexOf(q) >= 0; })) entities.push(id);
    });
    entities.sort(function (a, b) { return info[b].comments - info[a].comments || (a < b ? -1 : 1); });
    var exact = entities.filter(function (id) {
      return [info[id].label].concat(info[id].aliases || []).some(function (n) { return n.toLowerCase() === q; });
    })[0];
    return {entities: entities, comments: comments, exact: exact === undefined ? null : exact};
  }
  function exactly(id, q) {  // where lower-casing changed the text's length ("İ"), find the words in the text itself
    var found = new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i").exec(info[id].text);
    return found ? [id, found.index, found.index + found[0].length] : null;
  }
  function runSearch(entered) {  // typing lists what matches; Enter on a name focuses its entity
    var q = search.value.trim().toLowerCase(), out = document.getElementById("matches");
    if (q.length < 2) { out.textContent = ""; return; }
    var m = matchesOf(q);
    out.textContent = plural(m.entities.length, "entity", "entities") + " · " + plural(m.comments.length, "comment");
    if (entered && m.exact !== null) { focusEntity(m.exact); return; }
    if (large && m.entities.length && m.entities.length <= 30 && put(m.entities)) syncEdges();
    network.selectNodes(m.entities.concat(m.comments.map(function (c) { return c[0]; })).filter(inView));
    var d = document.getElementById("detail");
    d.textContent = "";
    d.appendChild(el("h2", {}, "Search: " + search.value.trim()));
    if (m.entities.length) {
      d.appendChild(el("h3", {}, plural(m.entities.length, "name")));
      rows(d, m.entities, function (id) {
        var li = el("li", {"class": "row"}, info[id].label + " (" + info[id].kind + ", " + plural(info[id].comments, "comment") + ")");
        li.addEventListener("click", function () { focusEntity(id); });
        return li;
      });
    }
    if (m.comments.length) {
      d.appendChild(el("h3", {}, "In the text of " + plural(m.comments.length, "comment")));
      rows(d, m.comments, function (c) { return evidenceRow(c[0], c[1], c[2]); });
    }
  }
  search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { runSearch(false); }, 120); });
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { clearTimeout(timer); runSearch(true); } });
  api.search = function (q) { search.value = q; runSearch(true); };
  var names = document.getElementById("labels");  // the search box suggests the most-mentioned names
  Object.keys(info).filter(isEntity).sort(function (a, b) { return info[b].comments - info[a].comments; }).slice(0, 2000)
    .forEach(function (id) { names.appendChild(el("option", {value: info[id].label})); });
  document.getElementById("depth").addEventListener("change", function () {
    var last = trail[trail.length - 1];
    if (last && isEntity(last)) focusEntity(last, true);
  });

  // ---- overview: the build's counts and its most-mentioned entities ----
  var ov = document.getElementById("overview"), s = data.summary;
  ov.appendChild(el("h2", {}, "Overview"));
  if (data.note) ov.appendChild(el("p", {"class": "muted"}, data.note));
  ov.appendChild(el("p", {}, plural(s.comments, "comment") + " · " + KINDS.slice(1).map(function (k) {
    return plural(s.counts[k], k, PLURAL[k]);
  }).join(" · ")));
  ["person", "concept", "work", "organization"].forEach(function (kind) {
    var top = s.top[kind]; if (!top.length) return;
    ov.appendChild(el("h3", {}, "Most mentioned " + PLURAL[kind]));
    var max = Math.max.apply(null, top.map(function (r) { return r.comments; })) || 1, list = el("div", {"class": "bars"});
    top.forEach(function (r) {
      var row = el("div", {"class": "bar", "data-node": r.node || ""});
      row.appendChild(el("span", {"class": "bar-label", title: r.label}, r.label));
      var bar = el("span", {"class": "bar-fill"});
      bar.style.width = Math.max(2, 100 * r.comments / max) + "px"; bar.style.background = data.style[kind].color;
      row.appendChild(bar);
      row.appendChild(el("span", {"class": "bar-count"}, r.comments.toLocaleString("en")));
      if (r.node) row.addEventListener("click", function () { focusEntity(r.node); });
      list.appendChild(row);
    });
    ov.appendChild(list);
  });
  renderTrail();
  welcome();
})();
