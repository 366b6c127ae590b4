// comment-graph page. Every string from the data is shown with textContent, never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var KINDS = ["comment", "person", "organization", "concept", "work"];
  if (data.heading) {  // which part of a build this page draws (html --around)
    document.title = "comment-graph: " + data.heading;
    document.querySelector("header h1").textContent = "comment-graph: " + data.heading;
  }
  var hidden = {};
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function tooltip(id) {  // a plain string: vis-network shows string titles with innerText, never as HTML
    var i = data.info[id];
    if (i.kind === "comment") return i.label + "\n" + i.text.slice(0, 160) + (i.text.length > 160 ? "…" : "");
    return i.label + "\n" + i.kind + " · " + i.mentions + " mention(s) in " + i.comments + " comment(s)" +
      (i.aliases.length ? "\nalso: " + i.aliases.join(", ") : "");
  }
  var nodes = new vis.DataSet(data.nodes.map(function (n) { n.title = tooltip(n.id); return n; }));
  var edges = new vis.DataSet(data.edges);
  // a large graph opens on its most connected entities; a click on one brings its comments
  var shown = data.initial ? new Set(data.initial) : null;
  var view = new vis.DataView(nodes, {filter: function (n) { return !hidden[n.group] && (!shown || shown.has(n.id)); }});
  var edgeView = new vis.DataView(edges, {filter: function (e) { return !shown || (shown.has(e.from) && shown.has(e.to)); }});
  function reveal(id) {
    if (!shown) return;
    shown.add(id);
    edges.get({filter: function (e) { return e.from === id || e.to === id; }}).forEach(function (e) { shown.add(e.from); shown.add(e.to); });
    view.refresh(); edgeView.refresh();
  }
  var options = {
    physics: data.physics ? {stabilization: {iterations: 200}, barnesHut: {gravitationalConstant: -8000, springLength: 120}} : false,
    edges: {smooth: false, width: 1}, nodes: {font: {size: 12}}, interaction: {hover: true, tooltipDelay: 150},
    layout: {improvedLayout: data.nodes.length < 300},
    groups: {}
  };
  KINDS.forEach(function (k) {  // vis colours nodes by group: give each kind the legend's colour and shape
    options.groups[k] = {color: {background: data.style[k].color, border: data.style[k].color}, shape: data.style[k].shape};
  });
  var network = new vis.Network(document.getElementById("graph"), {nodes: view, edges: edgeView}, options);
  network.once("stabilizationIterationsDone", function () { network.setOptions({physics: false}); });
  window.commentGraph = {network: network, nodes: nodes, data: data, ready: false};
  network.once("afterDrawing", function () { window.commentGraph.ready = true; });

  // legend and kind filter
  var legend = document.getElementById("legend");
  KINDS.forEach(function (k) {
    var label = el("label", {}), box = el("input", {type: "checkbox", "data-kind": k});
    box.checked = true;
    box.addEventListener("change", function () { hidden[k] = !box.checked; view.refresh(); });
    var sw = el("span", {"class": "swatch"}); sw.style.background = data.style[k].color;
    label.appendChild(box); label.appendChild(sw); label.appendChild(document.createTextNode(k));
    legend.appendChild(label);
  });

  // search by label
  var list = document.getElementById("labels");
  Object.keys(data.info).forEach(function (id) { if (data.info[id].kind !== "comment") list.appendChild(el("option", {value: data.info[id].label})); });
  var search = document.getElementById("search");
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase(), hits = [];
    if (q.length > 1) Object.keys(data.info).forEach(function (id) {
      var i = data.info[id], names = [i.label].concat(i.aliases || []);
      if (names.some(function (n) { return n.toLowerCase().indexOf(q) >= 0; })) hits.push(id);
    });
    if (shown && hits.length && hits.length < 50) hits.forEach(function (h) { shown.add(h); });
    if (shown) view.refresh();
    network.selectNodes(hits.filter(function (h) { return !shown || shown.has(h); }));
    document.getElementById("matches").textContent = q.length > 1 ? hits.length + " match(es)" : "";
    var visible = hits.filter(function (h) { return !shown || shown.has(h); });
    if (visible.length) { network.fit({nodes: visible, animation: false}); if (hits.length === 1) show(hits[0]); }
  });

  function focus(id) { reveal(id); network.selectNodes([id]); network.focus(id, {scale: 1.2, animation: false}); show(id); }

  function renderText(i) {
    var box = el("div", {"class": "text"}), text = i.text, marks = i.mentions.slice().sort(function (a, b) { return a[0] - b[0]; });
    var quotes = i.quotes, pos = 0, parent = box;
    function inQuote(p) { return quotes.some(function (q) { return q[0] <= p && p < q[1]; }); }
    function emit(s, e) {
      var chunkStart = s;
      for (var p = s; p <= e; p++) {
        var q = p < e ? inQuote(p) : null;
        if (p === e || (p > chunkStart && q !== inQuote(chunkStart))) {
          var piece = text.slice(chunkStart, p);
          if (piece) (inQuote(chunkStart) ? bq(chunkStart) : box).appendChild(document.createTextNode(piece));
          chunkStart = p;
        }
      }
    }
    var lastQuote = null, lastQuoteEl = null;
    function bq(p) {
      var q = quotes.filter(function (q) { return q[0] <= p && p < q[1]; })[0];
      if (q !== lastQuote) { lastQuote = q; lastQuoteEl = el("blockquote", {}); box.appendChild(lastQuoteEl); }
      return lastQuoteEl;
    }
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      emit(pos, m[0]);
      var mark = el("mark", {"class": m[2], title: m[2] + ": " + data.info[m[3]].label}, text.slice(m[0], m[1]));
      mark.addEventListener("click", function () { focus(m[3]); });
      (inQuote(m[0]) ? bq(m[0]) : box).appendChild(mark);
      pos = m[1];
    });
    emit(pos, text.length);
    return box;
  }

  function show(id) {
    var i = data.info[id], d = document.getElementById("detail");
    d.textContent = "";
    d.appendChild(el("h2", {}, i.label));
    if (i.kind === "comment") {
      d.appendChild(el("p", {"class": "muted"}, "id " + i.id + (i.author ? " · by " + i.author : "")));
      d.appendChild(renderText(i));
    } else {
      d.appendChild(el("p", {"class": "muted"}, i.kind + (i.unresolved ? " (unresolved)" : "") + " · " + i.mentions + " mention(s) in " + i.comments + " comment(s)"));
      if (i.aliases.length) d.appendChild(el("p", {}, "Also known as: " + i.aliases.join(", ")));
      var ul = el("ul", {});
      var around = edges.get({filter: function (e) { return e.from === id || e.to === id; }})
        .map(function (e) { return e.from === id ? e.to : e.from; });
      around.forEach(function (n) {
        var li = el("li", {}), a = el("a", {href: "#"}, data.info[n].label + (data.info[n].kind === "comment" ? ": " + data.info[n].text.slice(0, 80) + "…" : ""));
        a.addEventListener("click", function (ev) { ev.preventDefault(); focus(n); });
        li.appendChild(a); ul.appendChild(li);
      });
      d.appendChild(ul);
    }
  }
  network.on("click", function (p) { if (p.nodes.length) { reveal(p.nodes[0]); show(p.nodes[0]); } });

  // overview: counts and bar charts of the most mentioned entities (inline SVG)
  var ov = document.getElementById("overview"), s = data.summary, NS = "http://www.w3.org/2000/svg";
  ov.appendChild(el("h2", {}, "Overview"));
  if (data.note) ov.appendChild(el("p", {"class": "muted"}, data.note));
  ov.appendChild(el("p", {}, s.comments + " comments · " + KINDS.slice(1).map(function (k) { return s.counts[k] + " " + k + (s.counts[k] === 1 ? "" : "s"); }).join(" · ")));
  ["person", "concept", "work", "organization"].forEach(function (kind) {
    var rows = s.top[kind]; if (!rows.length) return;
    ov.appendChild(el("h2", {}, "Most mentioned: " + kind + "s"));
    var max = Math.max.apply(null, rows.map(function (r) { return r.comments; })), svg = document.createElementNS(NS, "svg");
    svg.setAttribute("width", "340"); svg.setAttribute("height", String(rows.length * 20));
    rows.forEach(function (r, n) {
      var g = document.createElementNS(NS, "g"), rect = document.createElementNS(NS, "rect"), t = document.createElementNS(NS, "text");
      g.setAttribute("class", "bar"); g.setAttribute("data-node", r.node);
      rect.setAttribute("x", "150"); rect.setAttribute("y", String(n * 20 + 3)); rect.setAttribute("height", "14");
      rect.setAttribute("width", String(Math.max(2, 180 * r.comments / max))); rect.setAttribute("fill", data.style[kind].color);
      t.setAttribute("x", "0"); t.setAttribute("y", String(n * 20 + 14)); t.setAttribute("font-size", "12");
      t.textContent = (r.label.length > 22 ? r.label.slice(0, 21) + "…" : r.label) + " (" + r.comments + ")";
      g.appendChild(t); g.appendChild(rect); svg.appendChild(g);
      g.addEventListener("click", function () { focus(r.node); });
    });
    ov.appendChild(svg);
  });
})();
