// The event's place on a Leaflet map without tiles (no request may leave the machine):
// the countries' outlines from world-atlas (Natural Earth, 1:110m, served with the page)
// under the markers of the GeoJSON export: the events at that place at that time, the
// chosen one highlighted.

import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { feature } from 'topojson-client';
import worldURL from 'world-atlas/countries-110m.json?url';
import { apiURL } from './api.js';

let world = null;

function text(s) {
  const span = document.createElement('span');
  span.textContent = s;
  return span;
}

function outline() {
  if (!world) {
    world = fetch(worldURL).then((r) => {
      if (!r.ok) throw new Error(`countries: HTTP ${r.status}`);
      return r.json();
    }).then((topo) => feature(topo, topo.objects.countries));
  }
  return world;
}

// eventMap draws the map into el; ev carries its location.
export function eventMap(el, ev) {
  const loc = ev.location;
  const map = L.map(el, { attributionControl: true, zoomControl: true, worldCopyJump: false, minZoom: 1, maxZoom: 9, keyboard: true })
    .setView([loc.latitude, loc.longitude], 4);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Outlines: Natural Earth');
  const countries = L.geoJSON(null, { interactive: false, style: { className: 'country', weight: 0.6 } }).addTo(map);
  outline().then((fc) => countries.addData(fc)).catch(() => { /* the markers alone still say where */ });
  const where = new URLSearchParams({ format: 'geojson', location: loc.slug, from: ev.date.edtf, to: ev.date.edtf });
  fetch(apiURL('/export', where), { headers: { Accept: 'application/geo+json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then((fc) => {
      const layer = L.geoJSON(fc, {
        pointToLayer: (f, at) => L.circleMarker(at, {
          radius: f.properties.slug === ev.slug ? 8 : 5,
          className: f.properties.slug === ev.slug ? 'marker chosen' : 'marker',
        }),
        // Leaflet writes a string tooltip as HTML: the text goes in as a node.
        onEachFeature: (f, m) => m.bindTooltip(text(`${f.properties.date_display}: ${f.properties.title}`), { sticky: true }),
      }).addTo(map);
      el.dataset.markers = String(fc.features.length);
      layer.eachLayer((m) => { if (m.feature.properties.slug === ev.slug) m.bringToFront(); });
    })
    .catch((e) => { el.dataset.markers = '0'; el.title = `Markers unavailable: ${e.message}`; });
  return map;
}
