/* infogap planner report: map, legend, layer control and sortable tables (inlined into
   report.<lang>.html at build time). All text comes from the data block (strings of the report's
   language); nothing is fetched. Popups are built with DOM nodes and textContent, never innerHTML. */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('infogap-data').textContent);
  var T = data.strings;
  var SEP = data.separators;
  var COLORS = { speaker: '#2166ac', team: '#1a9850', boundary: '#3a3f47' };
  var PROPOSED_COLORS = { speaker: '#7b3294', team: '#c51b7d' };
  function proposedColor(kind) { return PROPOSED_COLORS[kind] || '#7b3294'; }
  // Gap-rate classes (upper bounds) and their fill colours (ColorBrewer OrRd, 5 classes).
  var GAP_BREAKS = [0.1, 0.25, 0.5, 0.75, 1.0];
  var GAP_COLORS = ['#fef0d9', '#fdcc8a', '#fc8d59', '#e34a33', '#b30000'];
  var NO_TARGET_COLOR = '#cfd6de';
  // The change report (report_change.<lang>.html) draws hamlets by a change (data.change.attribute,
  // e.g. gap_weight_delta) on a diverging scale centred on 0: improved green, worsened red.
  var CHANGE = data.change || null;
  var CHANGE_COLORS = ['#1a9641', '#a6d96a', '#f7f7f7', '#fdae61', '#d7191c'];
  function changeClass(v) {
    if (!isNumber(v)) return -1;
    var half = CHANGE.max_abs / 2;
    if (v === 0) return 2;
    if (v < 0) return v <= -half ? 0 : 1;
    return v >= half ? 4 : 3;
  }
  function changeColor(v) { var k = changeClass(v); return k < 0 ? NO_TARGET_COLOR : CHANGE_COLORS[k]; }

  function isNumber(v) { return typeof v === 'number' && isFinite(v); }

  /** Number with grouping and the language's separators (vi 1.234,5; en 1,234.5). */
  function fmt(v, decimals) {
    if (!isNumber(v)) return '\u2013';
    var s = Math.abs(v).toFixed(decimals);
    var parts = s.split('.');
    var out = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, SEP.group);
    if (parts.length > 1) out += SEP.decimal + parts[1];
    if (v < 0 && /[1-9]/.test(s)) out = '-' + out;
    return out;
  }
  function pct(v, decimals) { return isNumber(v) ? fmt(v * 100, decimals) + '%' : '\u2013'; }

  function gapColor(rate) {
    if (!isNumber(rate)) return NO_TARGET_COLOR;
    for (var i = 0; i < GAP_BREAKS.length; i++) {
      if (rate <= GAP_BREAKS[i] + 1e-12) return GAP_COLORS[i];
    }
    return GAP_COLORS[GAP_COLORS.length - 1];
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** Popup body: a title, a subtitle and label/value rows. */
  function popupContent(title, subtitle, rows) {
    var box = el('div', 'popup');
    box.appendChild(el('div', 'popup-title', title));
    if (subtitle) box.appendChild(el('div', 'popup-sub', subtitle));
    var table = el('table', 'popup-table');
    var body = el('tbody');
    rows.forEach(function (row) {
      var tr = el('tr');
      tr.appendChild(el('th', null, row[0]));
      tr.appendChild(el('td', null, row[1]));
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.appendChild(table);
    return box;
  }

  // ---- map --------------------------------------------------------------------------------
  var mapNode = document.getElementById('map');
  var map = null;
  var hamletLayers = {};

  if (mapNode && window.L) {
    map = L.map(mapNode, { attributionControl: false, zoomSnap: 0.25, preferCanvas: false });
    L.control.attribution({ prefix: 'Leaflet' }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    var overlays = {};
    // Panes keep the drawing order whatever the layer control toggles: hamlet fills at the bottom,
    // then group boundaries, then reach circles and site markers (Leaflet's overlay pane, z 400).
    map.createPane('infogap-hamlets').style.zIndex = 350;
    map.createPane('infogap-groups').style.zIndex = 360;

    var hamletLayer = L.geoJSON(data.hamlets, {
      pane: 'infogap-hamlets',
      className: 'infogap-hamlet',
      style: function (feature) {
        var p = feature.properties;
        var fill = CHANGE ? changeColor(p[CHANGE.attribute]) : gapColor(p.gap_rate);
        return { color: '#555', weight: 0.8, fillColor: fill, fillOpacity: 0.8 };
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        hamletLayers[p.id] = layer;
        var sub = [p.id];
        data.group_names.forEach(function (g) {
          if (p.groups && p.groups[g]) sub.push(data.group_labels[g] + ': ' + p.groups[g]);
        });
        if (CHANGE) {
          layer.bindPopup(function () {
            var rows = CHANGE.rows.map(function (r) {
              var f = r[1] === 'pct' ? function (v) { return pct(v, 1); } : function (v) { return fmt(v, r[1]); };
              var d = p[r[0] + '_delta'];
              return [r[2], f(p[r[0] + '_before']) + ' \u2192 ' + f(p[r[0] + '_after']) + ' (' +
                (isNumber(d) && d > 0 ? '+' : '') + f(d) + ')'];
            });
            return popupContent(p.name, sub.join(' \u00b7 '), rows);
          });
        } else layer.bindPopup(function () {
          return popupContent(p.name, sub.join(' \u00b7 '), [
            [T.col_households, fmt(p.households, 0)],
            [T.col_target_households, fmt(p.target_households, 0)],
            [T.col_target_weight, fmt(p.target_weight, 1)],
            [T.col_reached_speaker, fmt(p.reached_speaker, 0)],
            [T.col_reached_team, fmt(p.reached_team, 0)],
            [T.col_reached_any, fmt(p.reached_any, 0)],
            [T.col_gap_households, fmt(p.gap_households, 0)],
            [T.col_gap_weight, fmt(p.gap_weight, 1)],
            [T.col_gap_rate, pct(p.gap_rate, 1)],
            [T.col_rank, fmt(p.rank, 0)]
          ]);
        });
        layer.bindTooltip(el('span', null, p.name), { sticky: true, direction: 'top' });
        layer.on('mouseover', function () { layer.setStyle({ weight: 2.5, color: '#111' }); });
        layer.on('mouseout', function () { hamletLayer.resetStyle(layer); });
      }
    }).addTo(map);
    overlays[T.layer_hamlets] = hamletLayer;
    mapNode.setAttribute('data-hamlet-count', String(hamletLayer.getLayers().length));

    var firstGroup = true;
    data.group_names.concat(Object.keys(data.groups)).forEach(function (name, index, all) {
      if (!data.groups[name] || all.indexOf(name) !== index) return;
      var layer = L.geoJSON(data.groups[name], {
        pane: 'infogap-groups',
        className: 'infogap-group',
        interactive: false,
        style: function () { return { color: COLORS.boundary, weight: 2, fill: false, opacity: 0.9 }; }
      });
      if (firstGroup) layer.addTo(map);
      firstGroup = false;
      var label = data.group_labels[name] || name;
      overlays[T.layer_group.replace('{name}', label)] = layer;
    });

    // Existing sites: markers on by default; their reach circles are a separate overlay, off by
    // default, since hundreds of overlapping circles would hide the gap shading underneath.
    function pointLayers(points, color, dashed, kindLabel, reachLabel, rangeClass) {
      var markers = L.layerGroup(), ranges = L.layerGroup();
      points.forEach(function (pt) {
        var ll = [pt.lat, pt.lon];
        if (isNumber(pt.reach_m) && pt.reach_m > 0) {
          L.circle(ll, { radius: pt.reach_m, color: color, weight: 1.2, opacity: 0.8, fillColor: color,
            fillOpacity: 0.07, dashArray: dashed ? '5 4' : null, interactive: false,
            className: rangeClass }).addTo(ranges);
        }
        var marker = L.circleMarker(ll, { radius: 4, color: '#fff', weight: 1.2, fillColor: color, fillOpacity: 1 });
        var rows = [[reachLabel, fmt(pt.reach_m, 0) + ' ' + T.unit_m]];
        marker.bindPopup(function () { return popupContent(kindLabel + ' ' + pt.id, pt.label, rows); });
        marker.addTo(markers);
      });
      return { markers: markers, ranges: ranges };
    }
    if (data.speakers.length) {
      var speakers = pointLayers(data.speakers, COLORS.speaker, false, T.kind_speaker, T.popup_audible_range,
        'infogap-range-speaker');
      overlays[T.layer_speakers] = speakers.markers.addTo(map);
      overlays[T.layer_speaker_range] = speakers.ranges;
    }
    if (data.teams.length) {
      var teams = pointLayers(data.teams, COLORS.team, true, T.kind_team, T.popup_reach, 'infogap-range-team');
      overlays[T.layer_teams] = teams.markers.addTo(map);
      overlays[T.layer_team_reach] = teams.ranges;
    }
    if (data.proposed.length) {
      var proposed = L.layerGroup();
      data.proposed.forEach(function (s) {
        var ll = [s.lat, s.lon];
        if (isNumber(s.reach_m) && s.reach_m > 0) {
          L.circle(ll, { radius: s.reach_m, color: proposedColor(s.kind), weight: 1.5, dashArray: '2 4', fill: false,
            interactive: false, className: 'infogap-range-proposed' }).addTo(proposed);
        }
        var marker = L.circleMarker(ll, { radius: 7, color: '#fff', weight: 2, fillColor: proposedColor(s.kind),
          fillOpacity: 1, className: 'infogap-proposed' });
        var kind = T['kind_' + s.kind] || s.kind;
        marker.bindPopup(function () {
          return popupContent(T.col_site + ' ' + s.rank + ': ' + (s.name || s.id), kind + (s.hamlet ? ' \u00b7 ' + s.hamlet : '') + (s.commune ? ' \u00b7 ' + s.commune : ''), [
            [T.col_marginal_weight, fmt(s.marginal_weight, 1)],
            [T.col_marginal_households, fmt(s.marginal_households, 0)],
            [T.col_cumulative_weight, fmt(s.cumulative_weight, 1)]
          ]);
        });
        marker.bindTooltip(el('span', null, String(s.rank)), { permanent: false, direction: 'right' });
        marker.addTo(proposed);
      });
      overlays[T.layer_proposed] = proposed.addTo(map);
    }
    L.control.layers(null, overlays, { collapsed: false, position: 'topright' }).addTo(map);

    var legend = L.control({ position: 'bottomleft' });
    legend.onAdd = function () {
      var box = el('div', 'legend-box');
      if (CHANGE) {
        box.appendChild(el('h4', null, CHANGE.legend_title));
        CHANGE.legend.forEach(function (label, i) {
          var row = el('div', 'legend-row');
          var sw = el('span', 'legend-swatch');
          sw.style.background = CHANGE_COLORS[i];
          row.appendChild(sw);
          row.appendChild(el('span', null, label));
          box.appendChild(row);
        });
        L.DomEvent.disableClickPropagation(box);
        return box;
      }
      box.appendChild(el('h4', null, T.legend_title));
      var lower = 0;
      GAP_BREAKS.forEach(function (upper, i) {
        var row = el('div', 'legend-row');
        var sw = el('span', 'legend-swatch');
        sw.style.background = GAP_COLORS[i];
        row.appendChild(sw);
        row.appendChild(el('span', null, pct(lower, 0) + ' \u2013 ' + pct(upper, 0)));
        box.appendChild(row);
        lower = upper;
      });
      var none = el('div', 'legend-row');
      var sw = el('span', 'legend-swatch');
      sw.style.background = NO_TARGET_COLOR;
      none.appendChild(sw);
      none.appendChild(el('span', null, T.legend_no_target));
      box.appendChild(none);
      box.appendChild(el('div', 'legend-sep'));
      [[COLORS.speaker, T.legend_speaker, data.speakers.length], [COLORS.team, T.legend_team, data.teams.length]]
        .forEach(function (item) {
          if (!item[2]) return;
          var row = el('div', 'legend-row');
          var dot = el('span', 'legend-dot legend-dot-small');  // as drawn: a filled dot, white rim
          dot.style.borderColor = '#fff';
          dot.style.background = item[0];
          row.appendChild(dot);
          row.appendChild(el('span', null, item[1]));
          box.appendChild(row);
        });
      var kinds = {};
      data.proposed.forEach(function (s) { kinds[s.kind] = true; });
      Object.keys(kinds).sort().forEach(function (kind) {
        var row = el('div', 'legend-row');
        var dot = el('span', 'legend-dot');
        dot.style.borderColor = proposedColor(kind);
        dot.style.background = proposedColor(kind);
        row.appendChild(dot);
        row.appendChild(el('span', null, T['legend_proposed_' + kind] || T.layer_proposed));
        box.appendChild(row);
      });
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    legend.addTo(map);

    var bounds = hamletLayer.getBounds();
    if (!bounds.isValid()) {
      var pts = [];
      data.speakers.concat(data.teams, data.proposed).forEach(function (p) { pts.push([p.lat, p.lon]); });
      bounds = L.latLngBounds(pts);
    }
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12] });
    } else {
      map.setView([9.3, 105.55], 10);  // Bạc Liêu
    }
  }

  // ---- sortable tables ---------------------------------------------------------------------
  function sortTable(table, column, th) {
    var numeric = th.getAttribute('data-type') === 'num';
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, index) {
      var raw = row.cells[column] ? row.cells[column].getAttribute('data-sort') : '';
      return { row: row, index: index, empty: raw === null || raw === '', key: numeric ? parseFloat(raw) : raw };
    });
    keyed.sort(function (a, b) {
      if (a.empty !== b.empty) return a.empty ? 1 : -1;  // missing values last, either direction
      var c = 0;
      if (!a.empty) {
        c = numeric ? a.key - b.key : String(a.key).localeCompare(String(b.key), data.lang, { numeric: true });
      }
      if (!ascending) c = -c;
      return c !== 0 ? c : a.index - b.index;
    });
    keyed.forEach(function (k) { body.appendChild(k.row); });
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      th.addEventListener('click', function () { sortTable(table, column, th); });
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortTable(table, column, th); }
      });
    });
  });

  // A click on a hamlet row shows the hamlet on the map.
  Array.prototype.forEach.call(document.querySelectorAll('tr[data-hamlet]'), function (row) {
    row.addEventListener('click', function () {
      var layer = hamletLayers[row.getAttribute('data-hamlet')];
      if (!map || !layer) return;
      mapNode.scrollIntoView({ behavior: 'smooth', block: 'center' });
      map.fitBounds(layer.getBounds(), { maxZoom: 14, padding: [40, 40] });
      layer.openPopup(layer.getBounds().getCenter());
    });
  });
}());
