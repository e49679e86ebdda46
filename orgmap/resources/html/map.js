/* orgmap interactive map. Reads its data from the JSON block #orgmap-data and draws it
 * with vis-network (inlined above). Every text from the data goes into the page through
 * textContent or canvas labels, never as HTML, so a name like <img onerror=...> is just
 * a name. No request ever leaves the page. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("orgmap-data").textContent);
  var N = D.nodes.label.length;
  var M = D.edges.from.length;
  var big = N > 3000;
  // the more links, the fainter each, so the people stay visible between them
  var EDGE_OPACITY = M <= 1500 ? 0.75 : M <= 6000 ? 0.45 : 0.3;
  // typical distance between neighbours on a small map, room for a name (see spread)
  var SPREAD_TARGET = 110;
  // the closest a fitted view zooms in (labels then show at about their font size) and
  // the margin it keeps around the nodes and their names, in screen pixels
  var FIT_MAX_SCALE = 1.0, FIT_MARGIN = 24, MIN_LABEL_PX = 10;

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }

  // ---- header text -----------------------------------------------------------------
  $("title").textContent = D.meta.title;
  $("subtitle").textContent = D.meta.subtitle;
  if (D.meta.message) {
    $("notice").textContent = D.meta.message;
    $("notice").hidden = false;
  }

  // ---- adjacency (for neighbour highlighting and filters) -------------------------------
  var adj = new Array(N);
  for (var i = 0; i < N; i++) adj[i] = [];
  for (var j = 0; j < M; j++) {
    adj[D.edges.from[j]].push(j);
    adj[D.edges.to[j]].push(j);
  }

  // ---- colours -------------------------------------------------------------------------
  var colorings = D.colorings;
  var coloring = colorings[0];
  function nodeColor(i, c) {
    c = c || coloring;
    if (c.perNode) return c.perNode[i];
    var k = c.of[i];
    if (k < 0) {
      // people with no department/team: the neutral grey the legend shows (as on the
      // desktop canvas); other kinds keep their kind colour
      var kind = D.nodeKinds[D.nodes.kind[i]];
      if (kind === "person") return D.missingColor;
      return D.kindColors[kind] || D.missingColor;
    }
    return c.colors[k];
  }
  // faded nodes sink into the background, light or dark
  var DIM = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches
    ? "#30363D" : D.dimColor;

  // ---- vis data sets -------------------------------------------------------------------
  var kindShape = D.kindShapes;
  // A small map is drawn with its layout spread out (the same picture, uniformly
  // scaled) so the names under the nodes have room: the layout keeps neighbours 30-60
  // apart, less than a name is wide. Big maps are looked at zoomed out anyway.
  var spread = 1;
  if (N > 1 && N <= 600 && D.meta.view !== "teams") {
    var nn = [];
    for (i = 0; i < N; i++) {
      var best = Infinity;
      for (var k2 = 0; k2 < N; k2++) {
        if (k2 === i) continue;
        var ddx = D.nodes.x[i] - D.nodes.x[k2], ddy = D.nodes.y[i] - D.nodes.y[k2];
        var dd = ddx * ddx + ddy * ddy;
        if (dd < best) best = dd;
      }
      nn.push(Math.sqrt(best));
    }
    nn.sort(function (a, b) { return a - b; });
    var median = nn[nn.length >> 1];
    // ... but never so far that the fitted view shows the names smaller than
    // MIN_LABEL_PX: spreading by s shrinks the fitted scale by s
    var box = $("network").getBoundingClientRect();
    var xs0 = Math.min.apply(null, D.nodes.x), xs1 = Math.max.apply(null, D.nodes.x);
    var ys0 = Math.min.apply(null, D.nodes.y), ys1 = Math.max.apply(null, D.nodes.y);
    var scale1 = Math.min((box.width - 2 * FIT_MARGIN) / Math.max(xs1 - xs0 + 120, 1),
                          (box.height - 2 * FIT_MARGIN) / Math.max(ys1 - ys0 + 60, 1));
    var readable = scale1 > 0 ? scale1 * D.meta.fontSize / MIN_LABEL_PX : 1;
    if (median > 0) spread = Math.min(3, readable, Math.max(1, SPREAD_TARGET / median));
    spread = Math.max(1, spread);
  }
  var nodeArr = new Array(N);
  for (i = 0; i < N; i++) {
    var col = nodeColor(i);
    nodeArr[i] = {
      id: i,
      label: D.nodes.label[i],
      x: D.nodes.x[i] * spread,
      y: D.nodes.y[i] * spread,
      size: D.nodes.size[i] / 2,
      shape: kindShape[D.nodeKinds[D.nodes.kind[i]]] || "dot",
      color: { background: col, border: col, highlight: { background: col, border: "#111111" },
               hover: { background: col, border: "#111111" } },
      borderWidth: i === D.meta.focus ? 4 : 1
    };
  }
  var edgeKinds = D.edgeKinds;
  // link kinds start on, except those the page was told to start with off (the org
  // chart shows reporting lines first)
  var edgeOn = edgeKinds.map(function (ek) { return !ek.off; });
  var edgeArr = new Array(M);
  var arrows = N <= 3000;
  for (j = 0; j < M; j++) {
    var ek = edgeKinds[D.edges.kind[j]];
    edgeArr[j] = {
      id: j,
      from: D.edges.from[j],
      to: D.edges.to[j],
      width: D.edges.width[j],
      dashes: ek.dashed,
      hidden: !edgeOn[D.edges.kind[j]],
      color: { color: ek.color, highlight: ek.color, hover: ek.color, opacity: EDGE_OPACITY },
      arrows: arrows && ek.directed ? { to: { enabled: true, scaleFactor: 0.4 } } : undefined
    };
  }
  var nodes = new vis.DataSet(nodeArr);
  var edges = new vis.DataSet(edgeArr);
  var container = $("network");
  var options = {
    autoResize: true,
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    nodes: {
      font: { size: D.meta.fontSize, color: getComputedStyle(document.body).color, strokeWidth: 2,
              strokeColor: getComputedStyle(document.body).backgroundColor },
      scaling: { label: { enabled: false, drawThreshold: 6 } }
    },
    edges: { smooth: false, selectionWidth: 1, hoverWidth: 0.5 },
    interaction: { hover: true, tooltipDelay: 80, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   multiselect: false, navigationButtons: false, keyboard: false }
  };
  // ---- overlay: paths, marked nodes and ghosts (orgmap.overlay), drawn as on the canvas ----
  var OV = D.overlay || null;
  var markOf = new Map();
  var overlaySet = null;
  if (OV) {
    overlaySet = new Set();
    OV.marks.forEach(function (m) { markOf.set(m[0], m[1]); overlaySet.add(m[0]); });
    OV.paths.forEach(function (p, k) {
      p.forEach(function (i) { overlaySet.add(i); });
      for (var q = 1; q < p.length; q++) {
        edges.add({ id: "ov" + k + "-" + q, from: p[q - 1], to: p[q], width: 4,
                    color: { color: OV.pathColor, highlight: OV.pathColor, opacity: 1 } });
      }
    });
    OV.ghosts.forEach(function (g, k) {
      nodes.add({ id: "ghost" + k, label: g.label, x: g.x, y: g.y, size: 8, shape: "dot",
                  shapeProperties: { borderDashes: [4, 3] }, borderWidth: 2,
                  color: { background: "rgba(0,0,0,0.06)", border: g.color } });
    });
    $("overlay-title").textContent = OV.title;
    var markUl = $("legend-marks");
    OV.legend.forEach(function (item) {
      var li = el("li");
      var sw = el("span", null, "swatch");
      sw.style.background = item.color;
      li.appendChild(sw);
      li.appendChild(el("span", item.label));
      li.appendChild(el("span", String(item.count), "count"));
      markUl.appendChild(li);
    });
    $("overlay-box").hidden = false;
  }
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  // vis only fits the view after a physics run, and its fit ignores the names under the
  // nodes: fit ourselves to the nodes' boxes, labels included, with a margin.
  function fitTo(ids, animate) {
    var rect = container.getBoundingClientRect();
    if (!ids || !ids.length || rect.width < 10 || rect.height < 10) return;
    var left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    for (var q = 0; q < ids.length; q++) {
      var b = network.getBoundingBox(ids[q]);
      if (!b) continue;
      if (b.left < left) left = b.left;
      if (b.right > right) right = b.right;
      if (b.top < top) top = b.top;
      if (b.bottom > bottom) bottom = b.bottom;
    }
    if (!isFinite(left)) return;
    var w = Math.max(right - left, 1), h = Math.max(bottom - top, 1);
    var scale = Math.min((rect.width - 2 * FIT_MARGIN) / w, (rect.height - 2 * FIT_MARGIN) / h,
                         FIT_MAX_SCALE);
    network.moveTo({ position: { x: (left + right) / 2, y: (top + bottom) / 2 },
                     scale: Math.max(scale, 0.005),
                     animation: animate ? { duration: 400, easingFunction: "easeInOutQuad" }
                                        : false });
  }
  var allIds = [];
  for (i = 0; i < N; i++) allIds.push(i);
  // Until the reader pans or zooms, the view follows the window: a resize (the page
  // settling, a window made taller) refits instead of vis's scaling by the size ratio,
  // which cut nodes off at the sides.
  var lastFit = allIds, userMoved = false;
  function fitView(ids, animate) {
    lastFit = ids;
    userMoved = false;
    fitTo(ids, animate);
  }
  network.on("dragStart", function () { userMoved = true; });
  network.on("zoom", function () { userMoved = true; });
  network.on("resize", function () {
    if (!userMoved) window.requestAnimationFrame(function () { fitTo(lastFit, false); });
  });
  network.fit({ animation: false, maxZoomLevel: FIT_MAX_SCALE });
  network.once("afterDrawing", function () {
    // the first drawing measured the names and the page has its final size: fit again,
    // and only then tell the benchmark and the browser tests that the map is drawn
    network.once("afterDrawing", function () {
      window.__orgmapReady = performance.now();
      document.body.setAttribute("data-ready", "1");
    });
    fitView(allIds, false);
    network.redraw();
  });
  window.__orgmap = { network: network, nodes: nodes, edges: edges, data: D };

  // ---- details panel and hover tooltip -----------------------------------------------------
  function kv(i) {
    var t = el("table", null, "kv");
    var fields = D.tipFields[D.nodeKinds[D.nodes.kind[i]]] || [];
    var vals = D.nodes.tip[i] || [];
    for (var f = 0; f < fields.length; f++) {
      if (vals[f] === null || vals[f] === undefined || vals[f] === "") continue;
      var tr = el("tr");
      tr.appendChild(el("td", fields[f]));
      tr.appendChild(el("td", vals[f]));
      t.appendChild(tr);
    }
    return t;
  }
  var tooltip = $("tooltip");
  network.on("hoverNode", function (p) {
    clear(tooltip);
    tooltip.appendChild(el("div", D.nodes.label[p.node], "name"));
    tooltip.appendChild(kv(p.node));
    var rect = container.getBoundingClientRect();
    var x = rect.left + p.pointer.DOM.x + 14, y = rect.top + p.pointer.DOM.y + 14;
    tooltip.hidden = false;
    var w = tooltip.offsetWidth, h = tooltip.offsetHeight;
    if (x + w > window.innerWidth - 4) x = Math.max(4, x - w - 28);
    if (y + h > window.innerHeight - 4) y = Math.max(4, y - h - 28);
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  });
  network.on("blurNode", function () { tooltip.hidden = true; });
  network.on("dragStart", function () { tooltip.hidden = true; });
  network.on("zoom", function () { tooltip.hidden = true; });

  function showDetails(i) {
    var box = $("details");
    clear(box);
    if (i === null) {
      box.appendChild(el("div", "Click a node to see its details and light up its neighbours.", "hint"));
      return;
    }
    box.appendChild(el("div", D.nodes.label[i], "name"));
    box.appendChild(kv(i));
  }
  showDetails(null);

  // ---- neighbour highlighting ---------------------------------------------------------------
  var hiddenNode = new Uint8Array(N);
  var selected = null;
  function reach(start, k) {
    var seen = new Map();
    seen.set(start, 0);
    var frontier = [start];
    for (var step = 1; step <= k; step++) {
      var next = [];
      for (var a = 0; a < frontier.length; a++) {
        var es = adj[frontier[a]];
        for (var b = 0; b < es.length; b++) {
          var e = es[b];
          if (!edgeOn[D.edges.kind[e]]) continue;
          var o = D.edges.from[e] === frontier[a] ? D.edges.to[e] : D.edges.from[e];
          if (hiddenNode[o] || seen.has(o)) continue;
          seen.set(o, step);
          next.push(o);
        }
      }
      frontier = next;
    }
    return seen;
  }
  function paint() {
    var lit = selected === null ? null : reach(selected, +$("depth").value);
    if (OV && OV.fade) {
      // an overlay keeps its own nodes lit; a selection adds to them
      var both = new Map();
      overlaySet.forEach(function (i) { both.set(i, 0); });
      if (lit !== null) lit.forEach(function (v, i) { both.set(i, v); });
      lit = both;
    }
    var nu = new Array(N);
    for (var i = 0; i < N; i++) {
      var c = lit === null || lit.has(i) ? nodeColor(i) : DIM;
      var mark = markOf.get(i);
      nu[i] = {
        id: i,
        hidden: !!hiddenNode[i],
        borderWidth: mark ? 4 : 1,
        color: { background: c, border: mark || c, highlight: { background: c, border: "#111111" },
                 hover: { background: c, border: "#111111" } },
        font: lit === null || lit.has(i)
          ? { color: options.nodes.font.color, strokeColor: options.nodes.font.strokeColor }
          : { color: "rgba(0,0,0,0)", strokeColor: "rgba(0,0,0,0)" }
      };
    }
    nodes.update(nu);
    var eu = new Array(M);
    for (var j = 0; j < M; j++) {
      var ek = edgeKinds[D.edges.kind[j]];
      var on = lit === null || (lit.has(D.edges.from[j]) && lit.has(D.edges.to[j]));
      eu[j] = {
        id: j,
        hidden: !edgeOn[D.edges.kind[j]],
        color: { color: on ? ek.color : DIM, highlight: ek.color, hover: ek.color,
                 opacity: on ? (lit === null ? EDGE_OPACITY : 1) : 0.15 }
      };
    }
    edges.update(eu);
  }
  function select(i, centre) {
    selected = i;
    showDetails(i);
    paint();
    if (i !== null) {
      network.selectNodes([i]);
      if (centre) userMoved = true;
      if (centre) network.focus(i, { scale: Math.max(network.getScale(), 0.8), animation: !big });
    } else {
      network.unselectAll();
    }
  }
  network.on("click", function (p) {
    select(p.nodes.length ? p.nodes[0] : null, false);
  });
  $("depth").addEventListener("change", function () { if (selected !== null) paint(); });
  if (OV) paint();
  $("fit").addEventListener("click", function () { select(null); fitView(allIds, !big); });

  // ---- search --------------------------------------------------------------------------------
  var lower = D.nodes.label.map(function (s) { return String(s).toLowerCase(); });
  var search = $("search"), results = $("results");
  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var out = [];
    for (var i = 0; i < N && out.length < 12; i++) {
      if (!hiddenNode[i] && lower[i].indexOf(q) >= 0) out.push(i);
    }
    return out;
  }
  function showResults() {
    clear(results);
    var hits = matches(search.value);
    hits.forEach(function (i, k) {
      var li = el("li", D.nodes.label[i]);
      if (D.nodes.sub[i]) li.appendChild(el("small", D.nodes.sub[i]));
      if (k === 0) li.className = "active";
      li.addEventListener("mousedown", function (ev) {
        ev.preventDefault();
        pick(i);
      });
      results.appendChild(li);
    });
    results.hidden = hits.length === 0;
  }
  function pick(i) {
    results.hidden = true;
    search.value = D.nodes.label[i];
    select(i, true);
  }
  search.addEventListener("input", showResults);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var hits = matches(search.value);
      if (hits.length) pick(hits[0]);
    } else if (ev.key === "Escape") {
      search.value = "";
      results.hidden = true;
    }
  });
  search.addEventListener("blur", function () { results.hidden = true; });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "/" && document.activeElement !== search) {
      ev.preventDefault();
      search.focus();
    }
  });

  // ---- filters ---------------------------------------------------------------------------------
  var deptSel = $("dept"), teamSel = $("team");
  var F = D.filters;
  function fillSelect(sel, names, allLabel, keep) {
    clear(sel);
    var o = el("option", allLabel);
    o.value = "-1";
    sel.appendChild(o);
    for (var k = 0; k < names.length; k++) {
      if (keep && !keep[k]) continue;
      var opt = el("option", names[k]);
      opt.value = String(k);
      sel.appendChild(opt);
    }
  }
  fillSelect(deptSel, F.department, "All departments");
  fillSelect(teamSel, F.team, "All teams");
  function applyFilter() {
    var d = +deptSel.value, t = +teamSel.value;
    var personLike = D.filterKinds;
    for (var i = 0; i < N; i++) {
      if (!personLike[D.nodes.kind[i]]) continue;
      hiddenNode[i] = (d >= 0 && F.nodeDept[i] !== d) || (t >= 0 && F.nodeTeam[i] !== t) ? 1 : 0;
    }
    // projects (and other nodes without a team) stay while any neighbour stays
    for (i = 0; i < N; i++) {
      if (personLike[D.nodes.kind[i]]) continue;
      var anyOn = adj[i].length === 0 && d < 0 && t < 0;
      for (var a = 0; a < adj[i].length && !anyOn; a++) {
        var e = adj[i][a];
        var o = D.edges.from[e] === i ? D.edges.to[e] : D.edges.from[e];
        if (personLike[D.nodes.kind[o]] && !hiddenNode[o]) anyOn = true;
      }
      hiddenNode[i] = anyOn ? 0 : 1;
    }
    if (selected !== null && hiddenNode[selected]) select(null);
    else paint();
    var shown = [];
    for (i = 0; i < N; i++) if (!hiddenNode[i]) shown.push(i);
    if (shown.length) fitView(shown, false);
    $("shown").textContent = shown.length === N ? "" : shown.length + " of " + N + " shown";
  }
  deptSel.addEventListener("change", function () {
    var d = +deptSel.value;
    var keep = null;
    if (d >= 0) {
      keep = new Uint8Array(F.team.length);
      for (var i = 0; i < N; i++) if (F.nodeDept[i] === d && F.nodeTeam[i] >= 0) keep[F.nodeTeam[i]] = 1;
    }
    fillSelect(teamSel, F.team, "All teams", keep);
    applyFilter();
  });
  teamSel.addEventListener("change", applyFilter);

  // ---- legend ----------------------------------------------------------------------------------
  function legendColors() {
    var ul = $("legend-colors");
    clear(ul);
    $("legend-colors-title").textContent = "Colour: " + coloring.label;
    var items = coloring.legend;
    for (var k = 0; k < items.length; k++) {
      var li = el("li");
      var sw = el("span", null, "swatch");
      sw.style.background = items[k][1];
      li.appendChild(sw);
      li.appendChild(el("span", items[k][0]));
      if (items[k].length > 2) li.appendChild(el("span", items[k][2], "count"));
      ul.appendChild(li);
    }
  }
  var colorSel = $("colorby");
  colorings.forEach(function (c, k) {
    var o = el("option", c.label);
    o.value = String(k);
    colorSel.appendChild(o);
  });
  colorSel.addEventListener("change", function () {
    coloring = colorings[+colorSel.value];
    legendColors();
    paint();
  });
  legendColors();
  var edgeUl = $("legend-edges");
  edgeKinds.forEach(function (ek, k) {
    if (!ek.count) return;
    var li = el("li", null, "clickable");
    li.title = "Click to show or hide these links";
    var sw = el("span", null, "swatch line" + (ek.dashed ? " dashed" : ""));
    sw.style.backgroundColor = ek.color;
    li.appendChild(sw);
    li.appendChild(el("span", ek.label));
    li.appendChild(el("span", String(ek.count), "count"));
    if (!edgeOn[k]) li.classList.add("off");
    li.addEventListener("click", function () {
      edgeOn[k] = !edgeOn[k];
      li.classList.toggle("off", !edgeOn[k]);
      paint();
    });
    edgeUl.appendChild(li);
  });
  var kindUl = $("legend-kinds");
  D.kindLegend.forEach(function (item) {
    var li = el("li");
    var sw = el("span", null, "swatch" + (item[2] === "diamond" ? " diamond" : ""));
    sw.style.background = item[1];
    li.appendChild(sw);
    li.appendChild(el("span", item[0]));
    kindUl.appendChild(li);
  });
  $("legend-kinds-box").hidden = D.kindLegend.length < 2;
  $("size-note").textContent = D.meta.sizeNote;

  // ---- physics toggle (small maps only) ----------------------------------------------------------
  var phys = $("physics");
  if (N > D.meta.physicsLimit) {
    phys.disabled = true;
    phys.parentNode.title = "Physics is off for maps over " + D.meta.physicsLimit + " nodes: it would not settle.";
  }
  phys.addEventListener("change", function () {
    network.setOptions({
      physics: phys.checked
        ? { enabled: true, solver: "forceAtlas2Based", stabilization: { enabled: false },
            forceAtlas2Based: { gravitationalConstant: -40, springLength: 60, avoidOverlap: 0.3 } }
        : { enabled: false }
    });
  });
})();
