/* The atlas runtime: the date slider, date filtering of every layer, popups, panels and the public API.
 *
 * Dates are ISO calendar days ("1945-08-09") compared as strings. No Date object, clock or time zone is used
 * anywhere, so a viewer in Tokyo, London or New York sees the same day, and years before 1970 are plain years.
 * The slider steps through a list of days that the build computed (config.stops).
 *
 * Text from the data is always put into the page with textContent, never as HTML, so markup in a name or a
 * description is shown as text and can never run.
 */
(function () {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
  var POPUP_PAD = 24;  // autoPanPadding: the least room kept between an open popup and the map's edge
  // Height a popup adds around its content: Leaflet's content margins (2 x 13 px), its tip (20 px) and the
  // padding kept below it.
  var POPUP_CHROME = 26 + 20 + POPUP_PAD + 8;
  var POPUP_WIDTH = 320;  // widest popup content
  var POPUP_SIDES = 44;  // Leaflet's content margins left and right (20 + 24 px)
  var POPUP_LOW = 240;  // content height (px) below which a popup moves beside the map's buttons, not below them
  var POPUP_NARROW = 220;  // the narrowest content that may sit beside them
  var TICK_SIZE = 12;  // px: a slider tick's width, as .atlas-tick in atlas.css

  function readable(day) {
    var m = ISO_DAY.exec(day);
    return m ? (+m[3]) + " " + MONTHS[+m[2] - 1] + " " + m[1] : day;
  }

  // A date as the source gives it: pr (from the build) is "month" or "year" where the source gives no day.
  function readableAs(day, pr) {
    var m = ISO_DAY.exec(day);
    if (!m || pr === "year") { return m ? m[1] : day; }
    return pr === "month" ? MONTHS[+m[2] - 1] + " " + m[1] : readable(day);
  }

  // '29 July - 11 August 1938' style: a feature's or event's first and last day, once when they read the same, their
  // shared ending (the year, or month and year: '8-9 February 1904') written once; dates.joined_range in the build.
  function when(first, last, pr) {
    var a = readableAs(first, pr && pr[0]), b = readableAs(last, pr && pr[1]);
    if (a === b) { return a; }
    var wa = a.split(" "), wb = b.split(" "), shared = 0;
    while (shared < Math.min(wa.length, wb.length) - 1 && wa[wa.length - 1 - shared] === wb[wb.length - 1 - shared]) {
      shared += 1;
    }
    var ha = wa.slice(0, wa.length - shared), hb = wb.slice(0, wb.length - shared);
    if (!shared || ha.length !== hb.length) { return a + " - " + b; }
    var dash = ha.length === 1 && /^\d+$/.test(ha[0]) && /^\d+$/.test(hb[0]) ? "-" : " - ";
    return ha.join(" ") + dash + hb.join(" ") + " " + wa.slice(wa.length - shared).join(" ");
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (Object.prototype.hasOwnProperty.call(attrs, k)) { node.setAttribute(k, attrs[k]); }
      }
    }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  var atlas = window.atlas = window.atlas || {};
  var state = {
    map: null, config: null, entries: [], index: 0, day: null, labelMode: "period", timer: null
  };

  /* ---- names and styles: hooks that folium's GeoJson layers call while the page loads ---- */

  // A renamed place goes by its name of the day (story.name_on does the same for the pictures and the sentences):
  // Changchun until March 1932, then Hsinking.
  function nameOn(p, day) {
    if (!p.pn) { return p.name; }
    var name = p.pn[0][1];
    p.pn.forEach(function (entry) { if (entry[0] <= day) { name = entry[1]; } });
    return name;
  }

  function displayName(p) {
    if (state.labelMode === "modern" && p.modern) { return p.modern; }
    return nameOn(p, currentDay());
  }

  function fullName(p) {
    var name = nameOn(p, currentDay());
    return p.modern && p.modern !== name ? name + " / " + p.modern : name;
  }

  function sideColor(side) {
    var palette = state.config.palette;
    return (palette.sides && palette.sides[side]) || palette.other;  // story.OTHER_SIDE_COLOR
  }

  function featureColor(p) {
    var palette = state.config.palette;
    if (p.front && palette.fronts && palette.fronts[p.front]) { return palette.fronts[p.front]; }
    return sideColor(p.side);
  }

  function dash(p) {
    return p.precision && p.precision !== "exact" ? "6 5" : null;
  }

  atlas.style = function (feature) {
    var p = feature.properties;
    var color = featureColor(p);
    switch (p.kind) {
      case "territory":
        return { color: "#5b5b5b", weight: 1, opacity: 0.9, fillColor: sideColor(p.side), fillOpacity: 0.55,
          dashArray: dash(p) };
      case "area":  // an area of no front (an occupation zone) is edged darker, or its pale side colour would vanish
        var edge = !p.front && state.config.palette.edges[p.side];
        return { color: edge || color, weight: edge ? 2 : 1.5, fillColor: color, fillOpacity: edge ? 0.3 : 0.18,
          dashArray: dash(p) || "3 3" };
      case "axis":
        return { color: color, weight: 4, opacity: 0.95, dashArray: p.precision === "schematic" ? null : dash(p),
          lineCap: "round", lineJoin: "round" };
      case "front-line":
        return { color: color, weight: 3, dashArray: dash(p) };
      case "border":
        return { color: "#222222", weight: 2, dashArray: dash(p) };
      case "claim":
        return { color: color, weight: 2.5, dashArray: "8 6" };
      case "railway":
        return { color: "#3b3b3b", weight: 2, dashArray: dash(p) ? "6 3" : "10 3", opacity: 0.8 };
      case "river":
        return { color: "#4a90c8", weight: 2, opacity: 0.9, dashArray: null };
      case "battle":
        return { color: "#b2182b", weight: 2, fillColor: "#b2182b", fillOpacity: 0.2, dashArray: dash(p) };
      default:
        return { color: color, weight: 2 };
    }
  };

  atlas.pointToLayer = function (feature, latlng) {
    var p = feature.properties;
    var radius = p.kind === "place" ? (p.rank === 1 ? 6 : 4.5) : p.kind === "unit" ? 6 : 7;
    return L.circleMarker(latlng, {
      radius: radius, weight: 2, color: "#ffffff", fillColor: p.kind === "event" || p.kind === "battle" ?
        "#b2182b" : featureColor(p), fillOpacity: 1, dashArray: dash(p)
    });
  };

  /* Leaflet's filter hook: keep every feature back while the page loads (nothing is drawn yet); atlas.init makes
     the layers and draws only those of the current day. `this` is the options object of the layer group. */
  var pending = [];
  atlas.collect = function (feature) {
    // The page sends a feature's properties with the rest of its text (config.props); the feature has its index.
    feature.properties = state.config.props[feature.properties.i];
    pending.push({ feature: feature, options: this });
    return false;
  };

  function materialize(group) {
    pending.forEach(function (item) {
      if (item.options !== group.options) { return; }
      var feature = item.feature;
      var layer = L.GeoJSON.geometryToLayer(feature, group.options);
      if (!layer) { return; }
      layer.feature = L.GeoJSON.asFeature(feature);
      layer.defaultOptions = layer.options;
      group.resetStyle(layer);
      (group.options.onEachFeature || atlas.onEachFeature)(feature, layer);
      layer._atlasEntry.group = group;
    });
  }

  /* ---- labels: Leaflet tooltips placed without a layout per label ---- */

  // Leaflet's Tooltip reads offsetWidth and offsetHeight every time it places itself, so each label that appears in a
  // step forces its own layout (the 9 August step adds dozens). Every label here sits to the right of its point and
  // is one line of one font, so only its height matters and it is the same for every label of a class: measure it
  // once per class and place the rest without reading layout.
  var labelHeights = {};
  var Label = L.Tooltip.extend({
    _setPosition: function (pos) {
      var container = this._container;
      var cls = this.options.className;
      var height = labelHeights[cls] || (labelHeights[cls] = container.offsetHeight);
      pos = pos.subtract(L.point(0, height / 2, true)).add(L.point(this.options.offset)).add(this._getAnchor());
      L.DomUtil.addClass(container, "leaflet-tooltip-right");
      L.DomUtil.setPosition(container, pos);
    }
  });

  // Names of states lie over their fills and under every line, point and label, large and pale, as an atlas letters
  // a country; each may be written at a few places (story.territory_label_anchors), and the declutter below takes
  // the first that no other label covers.
  var TERRITORY_LABEL_PANE = "atlas-territory-labels";  // story.TERRITORY_LABEL_PANE, made by the page
  // px kept between names, so that two never read as one, and inside the frame (story.TERRITORY_LABEL_GAP_PX)
  var TERRITORY_LABEL_GAP = [14, 4];

  function label(text, offset, className) {
    return new Label({ permanent: true, direction: "right", offset: [offset, 0], className: className })
      .setContent(el("span", null, text));
  }

  atlas.onEachFeature = function (feature, layer) {
    var p = feature.properties;
    var entry = { layer: layer, props: p, group: null };
    layer._atlasEntry = entry;
    state.entries.push(entry);
    layer.bindPopup(function () { return fitPopup(layer.getPopup(), buildPopup(p)); },
      { maxWidth: POPUP_WIDTH, autoPanPadding: [POPUP_PAD, POPUP_PAD] });
    if (p.kind === "place" && p.rank === 1 || p.kind === "unit" && p.rank === 1) {
      layer.bindTooltip(label(displayName(p), 6, "atlas-label"));
    }
    if (p.lp && p.kind === "territory") {  // a state's name across it; "\n" breaks it (white-space: pre)
      entry.label = L.tooltip({ permanent: true, direction: "center", className: "atlas-territory-label",
        pane: TERRITORY_LABEL_PANE, interactive: false }).setContent(el("span", null, p.short))
        .setLatLng(p.lp[0].slice(0, 2));
    } else if (p.lp) {  // a labelled border or front line: its name along it (story.line_label_anchors)
      entry.label = label(p.short, 4, "atlas-label atlas-line-label").setLatLng(p.lp[0]);
    }
    layer.on("mouseover", function () { peekLabel(entry, true); });
    layer.on("mouseout", function () { peekLabel(entry, false); });
    layer.on("add", function () {
      makeFocusable(layer, p);
      // its layer switched back on in the layer menu: Leaflet made a new element, hidden again if it is not today's
      if (entry.shown === false) { hide(entry, true); }
    });
  };

  /* ---- polygon layers with shared vertices (atlas/compact.py): rebuild plain GeoJSON ---- */

  atlas.decodeShared = function (packed) {
    var points = [], x = 0, y = 0, v = packed.v, i;
    for (i = 0; i < v.length; i += 2) {
      x += v[i];
      y += v[i + 1];
      points.push([x / packed.s, y / packed.s]);
    }
    function ring(deltas) {
      var out = [], k = 0;
      for (var j = 0; j < deltas.length; j += 1) { k += deltas[j]; out.push(points[k]); }
      return out;
    }
    return {
      type: "FeatureCollection",
      features: packed.f.map(function (f) {
        var r = f.geometry.r;
        var coords = f.geometry.type === "Polygon" ? r.map(ring) : r.map(function (p) { return p.map(ring); });
        return { type: "Feature", properties: f.properties, geometry: { type: f.geometry.type, coordinates: coords } };
      })
    };
  };

  /* ---- keyboard access to features: every shape is a button that opens its popup ---- */

  function makeFocusable(layer, p) {
    var node = layer.getElement && layer.getElement();
    if (!node || node.getAttribute("tabindex") === "0") { return; }
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.setAttribute("data-atlas-id", p.id);
    node.setAttribute("aria-label", fullName(p) + ", " + when(p.s, p.e, p.pr));
    node.addEventListener("focus", function () { peekLabel(layer._atlasEntry, true); });
    node.addEventListener("blur", function () { peekLabel(layer._atlasEntry, false); });
    node.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        var at = layer.getLatLng ? layer.getLatLng() : (layer.getCenter ? layer.getCenter() : null);
        if (p.kind === "axis" && layer.getLatLngs().length) {
          var pts = layer.getLatLngs();
          at = pts[pts.length - 1];
        }
        layer.openPopup(at || undefined);
      }
    });
    if (p.kind === "axis") { addArrowhead(layer, p); }
  }

  /* ---- popups: built as DOM, text only ---- */

  // What a side was called on a day: "Soviet Russia" before 30 Dec 1922 (story.SIDE_EARLIER_LABELS).
  function sideLabel(side, day) {
    var labels = state.config.labels, earlier = labels.earlier[side] || [];
    for (var i = 0; i < earlier.length; i++) {
      if (day < earlier[i][0]) { return earlier[i][1]; }
    }
    return labels.sides[side];
  }

  function controlAt(p, day) {
    var current = null;
    (p.control || []).forEach(function (c) { if (c.start <= day) { current = c; } });
    return current;
  }

  // Every change of hands of a place, with what the sources say of its day, the one in force marked: closed at
  // first, so that the popup opens no taller than before, and a native <details>, so it opens from the keyboard
  // and a screen reader says whether it is open.
  function heldList(p, current) {
    var list = el("ol", { "class": "atlas-held" });
    p.control.forEach(function (c) {
      var item = el("li", c === current ? { "aria-current": "date" } : null);
      item.appendChild(el("span", { "class": "atlas-held-when" }, readableAs(c.start, c.pr)));
      item.appendChild(document.createTextNode(": " + sideLabel(c.side, c.start) + (c.by ? ", " + c.by : "")));
      if (c.note) { item.appendChild(appendInLanguages(el("span"), " - " + c.note)); }
      list.appendChild(item);
    });
    var box = el("details", { "class": "atlas-held-box" });
    box.appendChild(el("summary", null, "Who held it when (" + p.control.length + " periods)"));
    box.appendChild(list);
    return box;
  }

  function buildPopup(p) {
    var box = el("div", { "class": "atlas-popup" });
    box.appendChild(el("h2", null, fullName(p)));
    // Each name in its language, so a screen reader speaks it in that language's voice and the browser draws
    // Japanese kanji and Chinese hanzi in their own forms. The keys are language codes (ru, ja, zh, ko, mn); the
    // Chinese names are written in traditional characters (geodata/README.md).
    var native = el("p", { "class": "atlas-native" });
    Object.keys(p.names || {}).forEach(function (key, i) {
      if (i) { native.appendChild(document.createTextNode(" · ")); }
      native.appendChild(el("span", { lang: key === "zh" ? "zh-Hant" : key }, p.names[key]));
    });
    if (native.firstChild) { box.appendChild(native); }
    var meta = el("p", { "class": "atlas-meta" });
    var labels = state.config.labels;
    meta.appendChild(el("span", null, labels.kinds[p.kind] + (p.category ? " · " + p.category : "") + " · " +
      when(p.s, p.e, p.pr)));
    if (p.approx) { meta.appendChild(el("span", { "class": "atlas-approx" }, " (dates approximate)")); }
    box.appendChild(meta);
    if (p.precision && p.precision !== "exact") {
      box.appendChild(el("p", { "class": "atlas-approx" }, "Drawn " + (p.precision === "disputed" ?
        "as disputed" : p.precision === "schematic" ? "schematically" : "approximately") + "."));
    }
    if (p.pn && p.pn.length > 1) {
      box.appendChild(el("p", null, "Names: " + p.pn.map(function (entry, i) {
        return entry[1] + " (" + (i ? "from " + readableAs(entry[0], entry[2]) : "until then") + ")";
      }).join(", ")));
    }
    if (p.commander) { box.appendChild(el("p", null, "Commander: " + p.commander)); }
    var held = controlAt(p, currentDay());
    if (held) {
      // a side renamed since it took the town says under which name it did: "Soviet Union (since 22 October 1920,
      // as Soviet Russia)"
      var now = sideLabel(held.side, currentDay()), then = sideLabel(held.side, held.start);
      box.appendChild(el("p", null, "Held on " + readable(currentDay()) + " by: " + now + " (since " +
        readableAs(held.start, held.pr) + (then !== now ? ", as " + then : "") + (held.by ? ", " + held.by : "") +
        ")"));
    }
    if (p.control && p.control.length > 1) { box.appendChild(heldList(p, held)); }
    if (p.location) { box.appendChild(el("p", null, "Where: " + p.location)); }
    if (p.description) { box.appendChild(appendInLanguages(el("p"), p.description)); }
    if (p.figures && p.figures.length) {
      var table = el("table", { "class": "atlas-figures" });
      p.figures.forEach(function (f) {
        var row = el("tr");
        row.appendChild(el("th", { scope: "row" }, f.label));
        row.appendChild(el("td", null, f.value + " [" + f.cite + "]"));
        table.appendChild(row);
      });
      box.appendChild(table);
    }
    if (p.note) { box.appendChild(appendInLanguages(el("p", { "class": "atlas-note" }), "Note: " + p.note)); }
    var list = el("ol", { "class": "atlas-cites" });
    (p.sources || []).forEach(function (c) { list.appendChild(citation(c)); });
    box.appendChild(el("p", { "class": "atlas-cites-head" }, "Sources"));
    box.appendChild(list);
    return box;
  }

  // A source of config.sources, sent as a row [title, url, author, publisher, year] (story.SOURCE_ROW; 0 where the
  // source has no such field, and the row stops after its last field).
  function source(i) {
    var row = state.config.sources[i];
    return { title: row[0], url: row[1] || "", author: row[2] || "", publisher: row[3] || "", year: row[4] || "" };
  }

  function citation(c) {
    // a bare index: a citation with no page and no note; else [index, note, pages] (story._cite)
    c = typeof c === "number" ? { i: c } : { i: c[0], note: c[1] || "", pages: c[2] || "" };
    var src = source(c.i);
    var item = el("li");
    var published = [src.publisher, src.year].filter(Boolean).join(", ");
    var text = (src.author ? src.author + ", " : "") + src.title + (published ? " (" + published + ")" : "") +
      (c.pages ? ", p. " + c.pages : "") + (c.note ? " - " + c.note : "");
    var holder = src.url ? el("a", { href: src.url, target: "_blank", rel: "noopener noreferrer" }) : item;
    appendInLanguages(holder, text);
    if (holder !== item) { item.appendChild(holder); }
    return item;
  }

  /* Sources are cited in their own languages, often inside English ("Сыпин (copy of the Russian Wikipedia
     article)"), and notes quote names and titles. Each run of text in another script gets its language, so a
     screen reader speaks it in that language's voice and the browser draws it in that language's forms. Cyrillic
     is Russian (Mongolian where it has Ө or Ү, Ukrainian where it has Ї, Є or Ґ; not І, which pre-1918 Russian
     spelling has too), Hangul is Korean, and a run of Han characters is Japanese when it has kana; without kana it
     may be Chinese or Japanese and is left unmarked. */
  var CYRILLIC = "\\u0400-\\u04ff", HANGUL = "\\uac00-\\ud7af\\u1100-\\u11ff\\u3130-\\u318f";
  var CJK = "\\u3000-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uff00-\\uffef";
  // a run: the letters of one script with the spaces, digits and punctuation between them, and a number before them
  var SCRIPT_RUN = new RegExp("(?:\\d+[\\s.,]*)?(?:" + [
    "[" + CYRILLIC + "]+(?:[\\s\\d.,:;!?'\"\u00ab\u00bb()\\-\\u2013\\u2014\\u2116]+[" + CYRILLIC + "]+)*",
    "[" + HANGUL + "]+(?:[\\s\\d.,:;!?'\"()\\-]+[" + HANGUL + "]+)*",
    "[" + CJK + "]+(?:[\\s\\d]+[" + CJK + "]+)*"].join("|") + ")", "g");

  function languageOf(run) {
    if (/[\u0400-\u04ff]/.test(run)) {
      if (/[\u04e8\u04e9\u04ae\u04af]/.test(run)) { return "mn"; }
      return /[\u0407\u0457\u0404\u0454\u0490\u0491]/.test(run) ? "uk" : "ru";
    }
    if (/[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]/.test(run)) { return "ko"; }
    return /[\u3040-\u30ff]/.test(run) ? "ja" : "";
  }

  function appendInLanguages(node, text) {
    var at = 0, match;
    SCRIPT_RUN.lastIndex = 0;
    while ((match = SCRIPT_RUN.exec(text))) {
      var lang = languageOf(match[0]);
      if (!lang) { continue; }
      if (match.index > at) { node.appendChild(document.createTextNode(text.slice(at, match.index))); }
      node.appendChild(el("span", { lang: lang }, match[0]));
      at = match.index + match[0].length;
    }
    if (at < text.length) { node.appendChild(document.createTextNode(text.slice(at))); }
    return node;
  }

  /* ---- arrows of advance: the line grows to the points reached by the current day ---- */

  function ensureMarkerDef(layer, color) {
    var svg = layer._renderer && layer._renderer._container;
    if (!svg) { return null; }
    var id = "atlas-arrow-" + color.replace("#", "");
    if (!svg.querySelector("#" + id)) {
      var ns = "http://www.w3.org/2000/svg";
      var defs = svg.querySelector("defs") || svg.insertBefore(document.createElementNS(ns, "defs"), svg.firstChild);
      var marker = document.createElementNS(ns, "marker");
      marker.setAttribute("id", id);
      marker.setAttribute("viewBox", "0 0 10 10");
      marker.setAttribute("refX", "5");
      marker.setAttribute("refY", "5");
      marker.setAttribute("markerWidth", "4");
      marker.setAttribute("markerHeight", "4");
      marker.setAttribute("orient", "auto-start-reverse");
      var path = document.createElementNS(ns, "path");
      path.setAttribute("d", "M 0 0 L 10 5 L 0 10 z");
      path.setAttribute("fill", color);
      marker.appendChild(path);
      defs.appendChild(marker);
    }
    return id;
  }

  function addArrowhead(layer, p) {
    var id = ensureMarkerDef(layer, featureColor(p));
    if (id) { layer.getElement().setAttribute("marker-end", "url(#" + id + ")"); }
  }

  function reachedCount(entry, day) {
    var dates = entry.props.pd;
    var n = 0;
    while (n < dates.length && dates[n] <= day) { n += 1; }
    return n;
  }

  function axisLatLngs(entry, n) {
    var all = entry.full;
    if (n >= 2) { return all.slice(0, n); }
    // Only the jump-off point is reached: show the direction of the attack as a short stub.
    var a = all[0], b = all[1];
    return [a, L.latLng(a.lat + (b.lat - a.lat) * 0.2, a.lng + (b.lng - a.lng) * 0.2)];
  }

  /* ---- the date: one function decides what is shown ---- */

  // The day shown: the slider's stop, or a day asked for by address, setDate or the embedding page that falls
  // between two stops (nothing changes between stops, so the map is right for it, and it keeps its own date).
  function currentDay() { return state.day || state.config.stops[state.index]; }

  function shownOn(p, day) { return p.s <= day && day <= p.e; }

  function applyDay(day) {
    state.entries.forEach(function (entry) {
      var p = entry.props;
      var group = entry.group;
      if (!group) { return; }
      var show = shownOn(p, day);
      if (show && p.kind === "axis") {
        var reached = reachedCount(entry, day);
        if (reached !== entry.reached) {
          entry.reached = reached;
          entry.layer.setLatLngs(axisLatLngs(entry, reached));
          updateAxisLabel(entry);
        }
      }
      if (show && p.control) { restyleHeld(entry, day); }
      if (show && p.pn) { rename(entry, day); }
      if (show !== (entry.shown === true)) {
        entry.shown = show;
        if (entry.layer.getTooltip && entry.layer.getTooltip()) { state.labelsMoved = true; }
        if (show && !group.hasLayer(entry.layer)) { group.addLayer(entry.layer); } else { hide(entry, !show); }
      }
      if (entry.label) {
        var labelOn = show && state.map.hasLayer(group);
        if (labelOn && !state.map.hasLayer(entry.label)) { entry.label.addTo(state.map); state.labelsMoved = true; }
        if (!labelOn && state.map.hasLayer(entry.label)) { state.map.removeLayer(entry.label); state.labelsMoved = true; }
      }
    });
  }

  // A feature that leaves the map is hidden, not removed, and shown again by the same switch: removing SVG paths
  // and adding them back (projecting each, making its element) was most of the cost of the steps that change the
  // most, a jump back to the first day or 9 August. A feature is added to its layer once, the first day it shows.
  function hide(entry, hidden) {
    var layer = entry.layer;
    if (hidden) { peekLabel(entry, false); }  // its shape may go from under the pointer without a mouseout
    var el = layer.getElement && layer.getElement();
    if (!el) {  // not a single SVG element: add and remove it instead
      if (hidden) { entry.group.removeLayer(layer); } else { entry.group.addLayer(layer); }
      return;
    }
    el.style.display = hidden ? "none" : "";
    var tip = layer.getTooltip && layer.getTooltip();
    if (tip && tip.getElement()) { tip.getElement().style.display = hidden ? "none" : ""; }
    if (hidden && layer.isPopupOpen && layer.isPopupOpen()) { layer.closePopup(); }
  }

  function rename(entry, day) {
    var name = nameOn(entry.props, day);
    if (name === entry.name) { return; }
    entry.name = name;
    var tip = entry.layer.getTooltip && entry.layer.getTooltip();
    if (tip) { tip.setContent(el("span", null, displayName(entry.props))); state.labelsMoved = true; }
    var node = entry.layer.getElement && entry.layer.getElement(), p = entry.props;
    if (node && node.getAttribute("aria-label")) {
      node.setAttribute("aria-label", fullName(p) + ", " + when(p.s, p.e, p.pr));
    }
  }

  function restyleHeld(entry, day) {
    var held = controlAt(entry.props, day);
    if (!held || !entry.layer.setStyle || held === entry.held) { return; }
    entry.held = held;
    var captured = state.config.map.markCaptures && held.start >= state.config.map.start && held.start > entry.props.s;
    entry.layer.setStyle({ fillColor: sideColor(held.side), color: captured ? "#111111" : "#ffffff",
      weight: captured ? 3 : 2 });
  }

  // A name with no room (the declutter hid it) shows, over the others, while the pointer is on its shape or the
  // shape has the keyboard's focus: an army's arrow squeezed among others is still named by pointing at it.
  function peekLabel(entry, on) {
    var tip = entry && (entry.label || (entry.layer.getTooltip && entry.layer.getTooltip()));
    var node = tip && tip.isOpen() && tip.getElement();
    if (node) { node.classList.toggle("atlas-label-peek", on); }
  }

  function updateAxisLabel(entry) {
    var pts = entry.layer.getLatLngs();
    var tip = pts[pts.length - 1];
    if (!entry.label) {
      entry.label = label(entry.props.short || entry.props.name, 8, "atlas-label atlas-axis-label");
    }
    entry.label.setLatLng(tip);
    state.labelsMoved = true;
  }

  /* ---- labels: never on top of each other (the same rule as the pictures, atlas/static.py) ---- */

  // Place names first, then formations, then arrows, then lines. A label goes right of its point (where Leaflet draws
  // it), or else left of it, above it or below it, the same distance from the point each way: the first of these
  // where it overlaps no label already kept and none of the map's controls, and lies wholly inside the map's frame (a
  // name cut off at the edge reads as another word: "lumn" for "Solun"). An arrow's label tries its tip first, then
  // each point the arrow has reached, backwards: beside its own line anywhere it still names the arrow, and the tips
  // crowd where the fronts meet. A named line's label likewise tries its places along the line, middle first, and
  // at each is written on the line before beside it.
  // A name reads as belonging to the dot nearest it, so a label never covers the dot of a point already labelled (it
  // would then read as that one's: Kirin's dot under "Hsinking"), a point whose dot a label covers goes unlabelled, and
  // of the places left, the first that covers no dot and lies nearer its own point than any other dot (an arrow's
  // name: nearer its own line than any other arrow) is taken, or else the first that covers no dot of a point that
  // wants a name (Kirin's, beside Changchun), or else simply the first. Where none is free the label is hidden until
  // zooming in or panning makes room. One read pass, then one write pass. atlas/static.py places the
  // pictures' labels by the same rule.
  var LABEL_ORDER = { place: 0, unit: 1, axis: 2, border: 3, claim: 3, "front-line": 3, territory: 4 };

  function labelsOnMap() {
    var items = [];
    state.entries.forEach(function (entry, order) {
      var tip = entry.label || (entry.shown && entry.layer.getTooltip && entry.layer.getTooltip());
      if (tip && tip.isOpen() && tip.getElement()) {
        items.push({ el: tip.getElement(), rank: LABEL_ORDER[entry.props.kind] || 0,
          importance: entry.props.kind === "territory" ? 2 : entry.props.rank || 2,
          order: entry.props.lo === undefined ? order : entry.props.lo,  // names of states: smaller ones first
          gap: tip.options.offset[0], tip: tip, places: entry.props.kind === "territory" && entry.props.lp,
          along: entry.props.kind === "axis" ? entry.layer.getLatLngs().slice().reverse() :
            entry.props.kind !== "territory" && entry.props.lp,
          named: entry.props.kind !== "territory" && !!entry.props.lp,
          arrow: entry.props.kind === "axis" && entry.layer,
          own: entry.layer.getElement && entry.layer.getElement() });
      }
    });
    // within a kind, by rank (a front's armies before their corps), then the labels with the fewest places to go
    // first (a short arrow before a long one); a rank 1 line (the 38th parallel) before everything, for a town's name
    // can stand on any side of it but a short line has few places for its own
    function key(i) { return i.rank === 3 && i.importance === 1 ? -1 : i.rank; }
    return items.sort(function (a, b) {
      return key(a) - key(b) || a.importance - b.importance ||
        (a.along ? a.along.length : 1) - (b.along ? b.along.length : 1) || a.order - b.order;
    });
  }

  // A feature's SVG element if it is on the map now (shown on this date, its layer switched on), else null.
  function drawnElement(entry) {
    var el = entry.shown && entry.layer.getElement && entry.layer.getElement();
    return el && el.style.display !== "none" && entry.group && state.map.hasLayer(entry.group) ? el : null;
  }

  // The dots of the points shown (places, formations, events), as [element, box, centre].
  function dotsOnMap() {
    var dots = [];
    state.entries.forEach(function (entry) {
      var el = entry.layer.getRadius && drawnElement(entry);
      if (el) {
        var box = el.getBoundingClientRect();
        dots.push([el, box, [(box.left + box.right) / 2, (box.top + box.bottom) / 2]]);
      }
    });
    return dots;
  }

  function distance(point, box) {
    var dx = Math.max(box.left - point[0], 0, point[0] - box.right);
    var dy = Math.max(box.top - point[1], 0, point[1] - box.bottom);
    return Math.sqrt(dx * dx + dy * dy);
  }

  function pointToSegment(p, a, b) {
    var dx = b[0] - a[0], dy = b[1] - a[1], square = dx * dx + dy * dy;
    var t = square ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / square)) : 0;
    return Math.sqrt(Math.pow(a[0] + t * dx - p[0], 2) + Math.pow(a[1] + t * dy - p[1], 2));
  }

  function crosses(a, b, box) {  // does the segment ab meet the box (Liang-Barsky clipping)?
    var t0 = 0, t1 = 1, dx = b[0] - a[0], dy = b[1] - a[1];
    var p = [-dx, dx, -dy, dy], q = [a[0] - box.left, box.right - a[0], a[1] - box.top, box.bottom - a[1]];
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) {
        if (q[i] < 0) { return false; }
      } else {
        var t = q[i] / p[i];
        if (p[i] < 0) { t0 = Math.max(t0, t); } else { t1 = Math.min(t1, t); }
        if (t0 > t1) { return false; }
      }
    }
    return true;
  }

  // How far a box lies from a line drawn through pts (0 where the line crosses it); static.py's _line_distance is
  // the same for the pictures.
  function lineDistance(pts, box) {
    var corners = [[box.left, box.top], [box.right, box.top], [box.left, box.bottom], [box.right, box.bottom]];
    var best = pts.length ? distance(pts[0], box) : Infinity;
    for (var i = 1; i < pts.length && best > 0; i++) {
      var a = pts[i - 1], b = pts[i];
      if (crosses(a, b, box)) { return 0; }
      best = Math.min(best, distance(b, box));
      for (var c = 0; c < 4; c++) { best = Math.min(best, pointToSegment(corners[c], a, b)); }
    }
    return best;
  }

  // The arrows drawn, as [layer, points in client px], for telling whose line a label stands by.
  function arrowsOnMap(frame) {
    var arrows = [];
    state.entries.forEach(function (entry) {
      if (entry.props.kind === "axis" && drawnElement(entry)) {
        arrows.push([entry.layer, entry.layer.getLatLngs().map(function (latlng) {
          var p = state.map.latLngToContainerPoint(latlng);
          return [p.x + frame.left, p.y + frame.top];
        })]);
      }
    });
    return arrows;
  }

  function meets(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }

  function overlaps(a, list) {
    return list.some(function (b) { return meets(a, b); });
  }

  // The moves [dx, dy] that put a label drawn at box r to the right of its point (none), left of it, above and below
  // it. Leaflet's CSS gives every label a margin beside its point, which a margin set here replaces, so a move is
  // written as margins less that one (declutter); `reach` is how far the label's near edge lies from its point.
  function placements(r, item) {
    var reach = item.gap + item.margin, centred = -(reach + r.width / 2);
    var beside = [[0, 0], [-(r.width + 2 * reach), 0], [centred, -(r.height / 2 + reach)],
      [centred, r.height / 2 + reach]];
    return item.named ? [[centred, 0]].concat(beside) : beside;  // a line's name is written on it first
  }

  // Where a label may be anchored, as [latlng or null for where it is, dx, dy from there in px]: its own point; for
  // an arrow each point of the line as drawn, from the tip back; for a named line, its places along it.
  function anchors(item) {
    if (!item.along) { return [[null, 0, 0]]; }
    var map = state.map, at = map.latLngToContainerPoint(item.tip.getLatLng());
    return item.along.map(function (latlng) {
      var p = map.latLngToContainerPoint(latlng);
      return [latlng, p.x - at.x, p.y - at.y];
    });
  }

  function declutter() {
    var items = labelsOnMap();
    items.forEach(function (item) {
      item.el.style.marginLeft = item.el.style.marginTop = "";
      item.el.classList.remove("atlas-label-hidden");
    });
    var container = state.map.getContainer(), frame = container.getBoundingClientRect();
    var controls = Array.prototype.map.call(container.querySelectorAll(".leaflet-control"),
      function (c) { return c.getBoundingClientRect(); });
    var kept = [], names = [], dots = dotsOnMap(), labelled = [], arrows = arrowsOnMap(frame);
    var owners = new Set(items.map(function (item) { return item.own; }));
    var named = dots.filter(function (dot) { return owners.has(dot[0]); });  // the dots that want a name
    function free(r) {
      return r.left >= frame.left && r.right <= frame.right && r.top >= frame.top && r.bottom <= frame.bottom &&
        !overlaps(r, kept) && !overlaps(r, controls);
    }
    items.forEach(function (item) {
      var r = item.el.getBoundingClientRect();
      item.move = null;
      if (item.places) {
        placeTerritoryLabel(item, r, kept, names, controls);
        return;
      }
      item.margin = parseFloat(window.getComputedStyle(item.el).marginLeft) || 0;
      var moves = placements(r, item), spots = [];
      anchors(item).forEach(function (anchor) {
        moves.forEach(function (move) {
          var dx = anchor[1] + move[0], dy = anchor[2] + move[1];
          spots.push({ anchor: anchor[0], move: move,
            box: { left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy } });
        });
      });
      var own = item.own && dots.filter(function (dot) { return dot[0] === item.own; })[0];
      var line = item.arrow && arrows.filter(function (arrow) { return arrow[0] === item.arrow; })[0];
      var spot = null, fallback = null, spare = null;
      if (!(own && overlaps(own[1], kept))) {
        spots.some(function (s) {
          if (!free(s.box) || overlaps(s.box, labelled)) { return false; }
          fallback = fallback || s;
          if (!spare && !named.some(function (dot) { return dot !== own && meets(dot[1], s.box); })) { spare = s; }
          var near = own ? distance(own[2], s.box) : 0;  // a label with no dot of its own: only covering one counts
          var clear = !dots.some(function (dot) {
            return dot !== own && (meets(dot[1], s.box) || distance(dot[2], s.box) < near);
          });
          if (clear && line) {  // an arrow's name, nearer its own line than any other arrow
            var mine = lineDistance(line[1], s.box);
            clear = !arrows.some(function (arrow) { return arrow !== line && lineDistance(arrow[1], s.box) < mine; });
          }
          if (clear) { spot = s; }
          return clear;
        });
      }
      spot = spot || spare || fallback;
      item.hidden = !spot;
      if (spot) {
        kept.push(spot.box);
        if (own) { labelled.push(own[1]); }
        item.anchor = spot.anchor;
        item.move = spot.move[0] || spot.move[1] ? spot.move : null;
      }
    });
    items.forEach(function (item) {
      if (item.hidden) { item.el.classList.add("atlas-label-hidden"); }
      else if (item.place && !item.tip.getLatLng().equals(item.place)) { item.tip.setLatLng(item.place); }
      else {
        if (item.anchor && !item.tip.getLatLng().equals(item.anchor)) { item.tip.setLatLng(item.anchor); }
        if (!item.move) { return; }
        item.el.style.marginLeft = (item.margin + item.move[0]) + "px";
        item.el.style.marginTop = item.move[1] + "px";
      }
    });
  }

  // A state's name goes to the first of its places where it covers no label kept so far and no control, keeps clear
  // of the other names and stays in the map's frame, or is hidden. Its box is moved, not the element, so that the
  // page is laid out once.
  function placeTerritoryLabel(item, r, kept, names, controls) {
    var map = state.map, frame = map.getContainer().getBoundingClientRect();
    var at = map.latLngToContainerPoint(item.tip.getLatLng());
    var zoom = map.getZoom();
    item.hidden = !item.places.some(function (place) {
      if (place.length > 2 && zoom < place[2]) { return false; }  // it fits only from that zoom on
      var p = map.latLngToContainerPoint(place.slice(0, 2)), dx = p.x - at.x, dy = p.y - at.y;
      var box = { left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy };
      var room = { left: box.left - TERRITORY_LABEL_GAP[0], right: box.right + TERRITORY_LABEL_GAP[0],
        top: box.top - TERRITORY_LABEL_GAP[1], bottom: box.bottom + TERRITORY_LABEL_GAP[1] };
      var m = TERRITORY_LABEL_GAP[1];  // and this far inside the frame
      if (box.left < frame.left + m || box.right > frame.right - m || box.top < frame.top + m ||
          box.bottom > frame.bottom - m || overlaps(box, kept) || overlaps(room, names) || overlaps(box, controls)) {
        return false;
      }
      kept.push(box);
      names.push(box);
      item.place = place.slice(0, 2);
      return true;
    });
  }

  function scheduleDeclutter() {
    window.cancelAnimationFrame(state.labelFrame);
    state.labelFrame = window.requestAnimationFrame(declutter);
  }

  function setIndex(index, opts) {
    var stops = state.config.stops;
    index = Math.max(0, Math.min(stops.length - 1, index));
    var previous = state.index, previousDay = currentDay();
    state.index = index;
    var asked = opts && opts.day;
    state.day = asked && asked > stops[index] && index < stops.length - 1 ? asked : null;
    var day = currentDay();
    applyDay(day);
    updateTimeUi(day, previous !== index || previousDay !== day || (opts && opts.announce));
    updateEventList(day);
    if (!(opts && opts.keepHash)) { writeHash(); }
    notifyParent(day);
    // Laying the labels out forces a layout: only when a label came, went or moved.
    if (state.labelsMoved) { state.labelsMoved = false; scheduleDeclutter(); }
  }

  function indexOfDay(day) {
    var stops = state.config.stops;
    if (day <= stops[0]) { return 0; }
    for (var i = stops.length - 1; i >= 0; i -= 1) { if (stops[i] <= day) { return i; } }
    return 0;
  }

  /* ---- the time bar: slider, label, phases, ticks, what changed ---- */

  var ui = {};

  function updateTimeUi(day, announce) {
    var text = readable(day);
    ui.slider.value = String(state.index);
    ui.slider.setAttribute("aria-valuetext", text);
    ui.label.textContent = text;
    var phase = phaseOf(day);
    ui.phase.textContent = phase ? phase.label : "";
    ui.phaseButtons.forEach(function (b) {
      if (b.getAttribute("data-start") <= day && day <= b.getAttribute("data-end")) {
        b.setAttribute("aria-current", "true");
      } else { b.removeAttribute("aria-current"); }
    });
    var stopDay = state.config.stops[state.index];
    if (announce) {
      ui.changes.textContent = text + ": " + (day !== stopDay ?
        "no change on the map since " + readable(stopDay) + "." : state.config.changes[day] || "no change on the map.");
    }
    // the legend explains what is on the map today: an entry whose features are all off the map is hidden
    ui.legendItems.forEach(function (li) {
      li.hidden = li.getAttribute("data-s") > day || day > li.getAttribute("data-e");
    });
    // and names each side as it was called that day ("Soviet Russia" in 1921, "Soviet Union" in 1945); written only
    // when the name changes, as this runs on every step
    ui.sideItems.forEach(function (li) {
      var label = sideLabel(li.getAttribute("data-side"), day);
      if (li.lastChild.textContent !== label) { li.lastChild.textContent = label; }
    });
    ui.prev.disabled = state.index === 0 && !state.day;
    ui.next.disabled = state.index === state.config.stops.length - 1;
  }

  function phaseOf(day) {
    var found = null;
    state.config.phases.forEach(function (ph) { if (ph.start <= day && day <= ph.end) { found = ph; } });
    return found;
  }

  function play() {
    if (state.timer) { stop(); return; }
    if (state.index >= state.config.stops.length - 1) { setIndex(0); }
    ui.play.setAttribute("aria-pressed", "true");
    ui.play.textContent = "Pause";
    state.timer = window.setInterval(function () {
      if (state.index >= state.config.stops.length - 1) { stop(); return; }
      setIndex(state.index + 1);
    }, +ui.speed.value);
  }

  function stop() {
    if (state.timer) { window.clearInterval(state.timer); }
    state.timer = null;
    ui.play.setAttribute("aria-pressed", "false");
    ui.play.textContent = "Play";
  }

  function bindTimeBar() {
    ui.slider = document.getElementById("atlas-slider");
    ui.label = document.getElementById("atlas-date");
    ui.phase = document.getElementById("atlas-phase");
    ui.changes = document.getElementById("atlas-changes");
    ui.prev = document.getElementById("atlas-prev");
    ui.next = document.getElementById("atlas-next");
    ui.play = document.getElementById("atlas-play");
    ui.speed = document.getElementById("atlas-speed");
    ui.slider.max = String(state.config.stops.length - 1);
    ui.slider.addEventListener("input", function () { stop(); setIndex(+ui.slider.value); });
    ui.prev.addEventListener("click", function () { stop(); setIndex(state.day ? state.index : state.index - 1); });
    ui.next.addEventListener("click", function () { stop(); setIndex(state.index + 1); });
    ui.play.addEventListener("click", play);
    ui.speed.addEventListener("change", function () { if (state.timer) { stop(); play(); } });
    ui.phaseButtons = [];
    ui.legendItems = Array.prototype.slice.call(document.querySelectorAll(".atlas-legend li[data-s]"));
    ui.sideItems = Array.prototype.slice.call(document.querySelectorAll(".atlas-legend li[data-side]"));
    var bar = document.getElementById("atlas-phases");
    var phasesMoveView = state.config.phases.some(function (ph) { return ph.bounds; });
    state.config.phases.forEach(function (ph) {
      var b = el("button", { type: "button", "class": "atlas-phase", "data-start": ph.start, "data-end": ph.end,
        title: readable(ph.start) + " - " + readable(ph.end) }, ph.label);
      b.addEventListener("click", function () {
        stop();
        setIndex(indexOfDay(ph.start));
        // A phase fought in one corner of a large map (the Russo-Japanese War on the road to war) brings it into view;
        // on such a map the other phases bring back the opening view, or they would stay in that corner.
        var view = ph.bounds || (phasesMoveView && state.config.map.view);
        if (view) { state.map.fitBounds(view, { animate: false }); }
      });
      bar.appendChild(b);
      ui.phaseButtons.push(b);
    });
    var ticks = document.getElementById("atlas-ticks");
    var last = state.config.stops.length - 1;
    state.config.ticks.forEach(function (t) {
      var i = indexOfDay(t.date);
      var name = readable(t.date) + ": " + t.label;
      var b = el("button", { type: "button", "class": "atlas-tick", title: name, "aria-label": name,
        "data-name": name });
      b.style.left = (last ? (i / last) * 100 : 0) + "%";
      b.stopIndex = i;
      b.grouped = [i];
      b.addEventListener("click", function () {
        // a tick that stands for several goes to the first of them, and from one of them to the next
        var at = b.grouped.indexOf(state.index);
        stop();
        setIndex(b.grouped[at >= 0 && at < b.grouped.length - 1 ? at + 1 : 0]);
      });
      ticks.appendChild(b);
    });
    groupTicks(ticks);
    if (window.ResizeObserver) {
      new window.ResizeObserver(function () { groupTicks(ticks); }).observe(ticks);
    }
  }

  /* Ticks of dates close together would overlap, and the one below could be neither seen nor clicked (the road
     to war ends with three ticks in nine days of its forty years). Ticks closer than a tick's width become one, at
     the first of them and named for each; a click goes to the first, the next click to the second, and so on.
     Rows of ticks were tried instead: the extra rows took from the map height that a short frame (a slide) cannot
     spare. Which ticks meet depends on the bar's width, so they are grouped again when it changes. */
  function groupTicks(ticks) {
    var width = ticks.clientWidth;
    if (!width || width === ticks.groupedWidth) { return; }
    ticks.groupedWidth = width;
    var first = null, firstX = 0, names = [];
    function close() {
      if (first) { first.title = names.join("; "); first.setAttribute("aria-label", first.title); }
    }
    Array.prototype.forEach.call(ticks.children, function (b) {
      var x = parseFloat(b.style.left) / 100 * width;
      if (first && x - firstX < TICK_SIZE) {
        b.hidden = true;
      } else {
        close();
        first = b;
        firstX = x;
        names = [];
        b.hidden = false;
        b.grouped = [];
      }
      names.push(b.getAttribute("data-name"));
      first.grouped.push(b.stopIndex);
    });
    close();
  }

  /* ---- the side panel: events, legend, sources ---- */

  function bindPanel() {
    var list = document.getElementById("atlas-events");
    state.eventItems = [];
    state.config.events.forEach(function (ev) {
      var li = el("li");
      var b = el("button", { type: "button", "class": "atlas-event", "data-id": ev.id });
      b.appendChild(el("span", { "class": "atlas-event-date" },
        when(ev.start, ev.end, ev.pr) + (ev.approx ? " (approximate)" : "")));
      b.appendChild(el("span", { "class": "atlas-event-name" }, fullName(ev)));
      if (ev.location) { b.appendChild(el("span", { "class": "atlas-event-where" }, ev.location)); }
      b.addEventListener("click", function () { goToEvent(ev); });
      li.appendChild(b);
      list.appendChild(li);
      state.eventItems.push({ ev: ev, button: b });
    });
    document.querySelectorAll("[data-atlas-tab]").forEach(function (tab) {
      tab.addEventListener("click", function () { showTab(tab.getAttribute("data-atlas-tab")); });
    });
    var toggle = document.getElementById("atlas-panel-toggle");
    toggle.addEventListener("click", function () {
      var app = document.getElementById("atlas-app");
      var open = app.classList.toggle("atlas-panel-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      // A hidden panel could not be scrolled to the day's events: do it now that it shows.
      if (open) {
        updateEventList(currentDay());
        // On a phone the panel opens below the time bar, out of sight: bring it up, or the button seems dead.
        var panel = document.getElementById("atlas-panel");
        if (panel.getBoundingClientRect().top > window.innerHeight * 0.75) {
          var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
          panel.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
        }
      }
    });
    document.getElementById("atlas-labels").addEventListener("change", function (ev) {
      setLabelMode(ev.target.value);
    });
    bindShare();
  }

  function showTab(name) {
    // The bibliography (some 2,000 sources on road-to-war, each a link with its languages marked) is written when
    // its tab is first shown, not while the page opens, which it would slow by about 20 ms.
    var sources = document.getElementById("atlas-sources");
    if (name === "sources" && !sources.firstChild) {
      state.config.sources.forEach(function (row, i) { sources.appendChild(citation(i)); });
    }
    document.querySelectorAll("[data-atlas-tab]").forEach(function (tab) {
      var on = tab.getAttribute("data-atlas-tab") === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.setAttribute("tabindex", on ? "0" : "-1");
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
    });
  }

  function goToEvent(ev) {
    stop();
    var day = ev.start < state.config.map.start ? state.config.map.start : ev.start;
    setIndex(indexOfDay(day), { announce: true });
    if (ev.latlng) {
      state.map.setView(ev.latlng, Math.max(state.map.getZoom(), state.config.map.eventZoom), { animate: false });
    }
  }

  function updateEventList(day) {
    // The list is kept at the most recently begun event still going on (the 7-11 July battle on 8 July), or,
    // if none, at the next one to come, with the events just before it in view above. An event that spans the
    // whole map (the war, the battle as a whole) is on every day and anchors nothing.
    var map = state.config.map;
    var current = null, next = null;
    (state.eventItems || []).forEach(function (item) {
      var on = item.ev.start <= day && day <= item.ev.end;
      // Touch only the buttons whose state changes: each attribute write invalidates the panel's style.
      if (on !== item.on) {
        item.on = on;
        if (on) { item.button.setAttribute("aria-current", "date"); } else { item.button.removeAttribute("aria-current"); }
      }
      var everywhere = item.ev.start <= map.start && item.ev.end >= map.end;
      if (on && !everywhere && (!current || item.ev.start > current.ev.start)) { current = item; }
      if (!next && item.ev.start >= day) { next = item; }
    });
    var first = (current || next || {}).button || null;
    // Keep the list at today's events (scrolling the panel only, never the page).
    var panel = document.getElementById("atlas-panel");
    window.cancelAnimationFrame(state.scrollFrame);
    state.scrollFrame = window.requestAnimationFrame(function () {
      if (first && panel && panel.offsetParent !== null) {
        // A third of the way down, so the events just before (begun a day or two earlier, or ended) show too.
        panel.scrollTop = Math.max(0, first.offsetTop - panel.offsetTop - Math.max(48, panel.clientHeight / 3));
      }
    });
  }

  function setLabelMode(mode) {
    state.labelMode = mode === "modern" ? "modern" : "period";
    state.entries.forEach(function (entry) {
      var tip = entry.layer.getTooltip && entry.layer.getTooltip();
      if (tip) { tip.setContent(el("span", null, displayName(entry.props))); }
    });
    state.eventItems.forEach(function (item) {
      item.button.querySelector(".atlas-event-name").textContent = fullName(item.ev);
    });
    scheduleDeclutter();
  }

  /* ---- share: the link to this date and view, and the iframe code ---- */

  function shareLink() {
    var c = state.map.getCenter();
    var base = window.location.href.split("#")[0];
    return base + "#date=" + currentDay() + "&view=" + c.lat.toFixed(3) + "," + c.lng.toFixed(3) + "," +
      state.map.getZoom();
  }

  function bindShare() {
    var dialog = document.getElementById("atlas-share");
    var link = document.getElementById("atlas-share-link");
    var code = document.getElementById("atlas-share-embed");
    document.getElementById("atlas-share-open").addEventListener("click", function () {
      var url = shareLink();
      link.value = url;
      // From a file the embed code names the file alone: a lesson page beside it (or the LMS's files) finds it,
      // where the file:// address would point at this computer's disk.
      var local = window.location.protocol === "file:";
      var file = window.location.pathname.split("/").pop();
      var src = local ? file + url.slice(url.indexOf("#")) : url;
      document.getElementById("atlas-share-local").hidden = !local;
      document.querySelector("#atlas-share-local .atlas-share-file").textContent = decodeURIComponent(file);
      code.value = '<iframe src="' + src.replace(/"/g, "&quot;") + '" title="' +
        state.config.map.title.replace(/"/g, "&quot;") +
        '" width="100%" height="600" style="border:0" sandbox="allow-scripts allow-popups"></iframe>';
      dialog.hidden = false;
      link.focus();
      link.select();
    });
    document.getElementById("atlas-share-close").addEventListener("click", function () {
      dialog.hidden = true;
      document.getElementById("atlas-share-open").focus();
    });
    dialog.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { document.getElementById("atlas-share-close").click(); }
    });
    document.querySelectorAll("[data-atlas-copy]").forEach(function (b) {
      b.addEventListener("click", function () {
        var field = document.getElementById(b.getAttribute("data-atlas-copy"));
        field.focus();
        field.select();
        var done = function () { b.textContent = "Copied"; };
        try {
          navigator.clipboard.writeText(field.value).then(done, function () {
            if (document.execCommand("copy")) { done(); }
          });
        } catch (e) {
          if (document.execCommand("copy")) { done(); }
        }
      });
    });
  }

  /* ---- the address: #date=1945-08-15&view=lat,lng,zoom ---- */

  function readHash() {
    var out = {};
    (window.location.hash || "").replace(/^#/, "").split("&").forEach(function (part) {
      var kv = part.split("=");
      if (kv.length === 2) { out[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1]); }
    });
    return out;
  }

  var hashTimer = null;

  function writeHash() {
    if (!state.ready) { return; }
    // Once the slider rests: replaceState costs more than a whole step while playing or dragging.
    window.clearTimeout(hashTimer);
    hashTimer = window.setTimeout(function () {
      try {
        window.history.replaceState(null, "", "#date=" + currentDay());
      } catch (e) { /* a sandboxed frame may refuse; the map still works */ }
    }, 250);
  }

  function applyHash() {
    var h = readHash();
    if (h.view) {
      var v = h.view.split(",").map(Number);
      if (v.length === 3 && v.every(isFinite)) { state.map.setView([v[0], v[1]], v[2], { animate: false }); }
    }
    if (h.date && ISO_DAY.test(h.date)) {
      setIndex(indexOfDay(h.date), { keepHash: true, announce: true, day: h.date });
      return true;
    }
    return false;
  }

  /* ---- the page that embeds the map can drive it: postMessage({atlas: {date: "1945-08-15"}}, "*") ---- */

  function notifyParent(day) {
    if (window.parent && window.parent !== window) {
      try { window.parent.postMessage({ atlas: { map: state.config.map.id, date: day } }, "*"); } catch (e) { /* */ }
    }
  }

  window.addEventListener("message", function (ev) {
    var msg = ev.data && ev.data.atlas;
    if (msg && typeof msg.date === "string" && ISO_DAY.test(msg.date) && state.config) {
      atlas.setDate(msg.date);
    }
  });

  /* A popup opens above its point and autoPan moves the map to show it whole. Two things could still cut it off
     (and with it the name and dates at its top): a long note and many sources make it taller or wider than the
     map, and the map's pan limits (maxBounds) stop autoPan short near the edge of the allowed area (a phone,
     zoomed out). So a popup is never larger than the map, its content scrolling under its name, and the pan
     limits are lifted while a popup moves the map, then restored (the map glides back) when it closes. */
  function fitPopup(popup, box) {
    var map = state.map;
    var size = map.getSize();
    // Keep clear of the zoom and layer buttons, which Leaflet draws above popups: below them, or, on a map too
    // short for that (an LMS frame 600 px high leaves the map under 300), beside them.
    var below = POPUP_PAD, beside = POPUP_PAD;
    map.getContainer().querySelectorAll(".leaflet-top").forEach(function (corner) {
      below = Math.max(below, corner.offsetHeight + POPUP_PAD / 2);
      beside = Math.max(beside, corner.offsetWidth + POPUP_PAD / 2);
    });
    var sideways = size.y - below - POPUP_CHROME < POPUP_LOW && size.x - 2 * beside - POPUP_SIDES >= POPUP_NARROW;
    var top = sideways ? POPUP_PAD : below, side = sideways ? beside : POPUP_PAD;
    popup.options.autoPanPaddingTopLeft = [side, top];
    popup.options.autoPanPaddingBottomRight = [side, POPUP_PAD];
    popup.options.maxWidth = Math.max(160, Math.min(POPUP_WIDTH, size.x - 2 * side - POPUP_SIDES));
    box.style.maxHeight = Math.max(120, size.y - top - POPUP_CHROME) + "px";
    return box;
  }

  function liftPanLimitsForPopups(map) {
    var saved = null;
    map.on("autopanstart", function () {
      if (map.options.maxBounds) { saved = map.options.maxBounds; map.setMaxBounds(null); }
    });
    map.on("popupclose", function () {
      if (saved) { map.setMaxBounds(saved); saved = null; }
    });
  }

  /* maxBounds keeps the map's centre inside the pan limits, not its view: zoomed far enough out, a wide view
     shows the land past the limits' west or east edge, where no territory is drawn and a territory's cut edge
     looks like a border. So the least zoom is the one at which the view is no wider than the limits, for the map's
     width now; the opening view is fitted at that zoom or closer. (Only the width: a phone's nearly square map
     would otherwise have to zoom in until the Trans-Baikal Front left the screen.) */
  function keepViewWithinLimits(map) {
    if (state.leastZoom === undefined) { state.leastZoom = map.getMinZoom(); }
    var limits = map.options.maxBounds;
    if (!limits) { return; }
    var degrees = limits.getEast() - limits.getWest();
    var snap = map.options.zoomSnap || 1;
    var zoom = Math.log(map.getSize().x * 360 / (256 * degrees)) / Math.LN2;
    var least = Math.max(state.leastZoom, Math.ceil(zoom / snap - 1e-9) * snap);
    // Raised past the current zoom, setMinZoom would zoom in with an animation, and Leaflet drops any view asked
    // for while one runs (a phase button pressed just after the page opened kept the whole map): zoom in first,
    // at once.
    if (map.getZoom() < least) { map.setZoom(least, { animate: false }); }
    map.setMinZoom(least);
  }

  /* Leaflet measures its container once, when folium's script creates the map, before the rest of the page
     (time bar, panel) is laid out, and again only when the window is resized. So measure it now, before the
     opening view is fitted, and whenever the container itself changes size (the panel opens on a tablet, an
     LMS resizes its frame, fonts load). */
  function followContainerSize(map) {
    map.invalidateSize({ pan: false });
    keepViewWithinLimits(map);
    map.on("resize", function () { keepViewWithinLimits(map); });
    if (window.ResizeObserver) {
      var frame = 0;
      new window.ResizeObserver(function () {
        window.cancelAnimationFrame(frame);
        frame = window.requestAnimationFrame(function () { map.invalidateSize(); });
      }).observe(map.getContainer());
    }
  }

  /* Printing lays the page out again (atlas.css, @media print): the map gets its printed size, in millimetres.
     Leaflet is told when the print styles apply (the print media query changes; beforeprint may come while the
     screen layout still holds, and then measures nothing new), and shows on paper what the screen showed; after
     printing the screen's view comes back. The resize's moveend is put off (debounceMoveend): at once, on the view
     before it is fitted, it would start an animated pan back inside the pan limits that outlives the fit and moves
     the map after it. */
  function followPrinting(map) {
    var screenView = null;
    function printing(on) {
      if (on) {
        if (!screenView) {
          screenView = { center: map.getCenter(), zoom: map.getZoom(), bounds: map.getBounds() };
        }
        map.invalidateSize({ pan: false, debounceMoveend: true });
        map.fitBounds(screenView.bounds, { animate: false });
      } else if (screenView) {
        map.invalidateSize({ pan: false, debounceMoveend: true });
        map.setView(screenView.center, screenView.zoom, { reset: true });  // exactly: a pan rounds to pixels
        screenView = null;
      }
    }
    var query = window.matchMedia && window.matchMedia("print");
    if (query && query.addEventListener) {
      query.addEventListener("change", function (ev) { printing(ev.matches); });
    }
    window.addEventListener("beforeprint", function () { printing(true); });
    // afterprint may come while the print styles still apply (a print media emulation, as in the tests): the
    // view then comes back when they stop applying, at the screen's size.
    window.addEventListener("afterprint", function () { if (!(query && query.matches)) { printing(false); } });
  }

  /* ---- start ---- */

  /* The build's config comes first (in the page head), so the style hooks have the palette while layers load.
     What only a popup or the Sources tab shows (each feature's note and citations, and the bibliography: most of
     the page's text) comes packed apart (page.py, READING) and is decoded the first time one of them is read,
     through getters that put it where the rest of a feature's properties are. */
  atlas.configure = function (config, readingText, readingSize) {
    var reading = null;
    function read() {
      if (!reading) { reading = atlas.unpack(readingText, readingSize); }
      return reading;
    }
    config.props.forEach(function (p, i) {
      Object.defineProperty(p, "note", { get: function () { return read().notes[i]; }, enumerable: true });
      Object.defineProperty(p, "sources", { get: function () { return read().cites[i]; }, enumerable: true });
      (p.control || []).forEach(function (c, k) {
        Object.defineProperty(c, "note", { get: function () { return (read().held[i] || [])[k] || ""; } });
      });
    });
    Object.defineProperty(config, "sources", { get: function () { return read().sources; }, enumerable: true });
    atlas.readingDecoded = function () { return reading !== null; };
    state.config = config;
  };

  atlas.init = function (map, layers) {
    var config = state.config;
    state.map = map;
    layers.forEach(materialize);
    pending = [];
    state.entries.forEach(function (entry) {
      if (entry.props.kind === "axis") { entry.full = entry.layer.getLatLngs().slice(); }
    });
    map.on("overlayadd overlayremove", function () { applyDay(currentDay()); scheduleDeclutter(); });
    map.on("moveend", scheduleDeclutter);  // after a zoom and after a pan: what fits the frame has changed
    // Fill the time bar and the panel first: they take room from the map, whose size must be final when the
    // opening view is fitted.
    bindTimeBar();
    bindPanel();
    showTab("events");
    followContainerSize(map);
    followPrinting(map);
    liftPanLimitsForPopups(map);
    map.fitBounds(config.map.view, { animate: false });
    state.index = indexOfDay(config.map.open);
    if (!applyHash()) { setIndex(state.index, { keepHash: true, announce: true }); }
    state.ready = true;
    window.addEventListener("hashchange", applyHash);
    document.documentElement.classList.add("atlas-ready");
  };

  atlas.setDate = function (day) {
    if (typeof day !== "string" || !ISO_DAY.test(day)) { throw new Error("setDate wants an ISO day, YYYY-MM-DD"); }
    stop();
    setIndex(indexOfDay(day), { announce: true, day: day });
    return currentDay();
  };
  atlas.getDate = function () { return currentDay(); };
  atlas.visible = function () {
    var ids = [];
    state.entries.forEach(function (entry) {
      var el = entry.layer.getElement && entry.layer.getElement();  // what is drawn, not only what should be
      if (entry.group && entry.shown && state.map.hasLayer(entry.group) && entry.group.hasLayer(entry.layer) &&
          !(el && el.style.display === "none")) {
        ids.push(entry.props.id);
      }
    });
    return ids.sort();
  };
  atlas.dates = function () { return state.config.stops.slice(); };
  atlas.readable = readable;
})();
