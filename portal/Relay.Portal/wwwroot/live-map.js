// The Live page's map: one marker per open session at its last fix, kept up to date by the page
// (Blazor calls show() after each render). Leaflet is the relay's own copy (/lib/leaflet), loaded
// the first time a map is shown; tiles come from Relay:Map as in the player (none: a plain background).
let leaflet;

function loadLeaflet() {
  if (window.L) {
    return Promise.resolve();
  }

  leaflet ??= new Promise((resolve, reject) => {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = '/lib/leaflet/leaflet.css';
    document.head.appendChild(css);
    const script = document.createElement('script');
    script.src = '/lib/leaflet/leaflet.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('The map library (/lib/leaflet/leaflet.js) did not load.'));
    document.head.appendChild(script);
  });
  return leaflet;
}

const maps = new WeakMap();

function open(element, tiles) {
  const map = L.map(element, { zoomSnap: 0.5 });
  if (tiles.tileUrl) {
    L.tileLayer(tiles.tileUrl, { maxZoom: tiles.maxZoom || 19, attribution: tiles.attribution || '' }).addTo(map);
  }

  // Great Britain until there is a fix to show.
  map.setView([54.5, -3.0], 5);
  const state = { map, markers: new Map(), fitted: false };
  maps.set(element, state);
  return state;
}

function go(id) {
  const path = '/portal/sessions/' + encodeURIComponent(id);
  if (window.Blazor && typeof window.Blazor.navigateTo === 'function') {
    window.Blazor.navigateTo(path);
  } else {
    window.location.assign(path);
  }
}

export async function show(element, tiles, sessions) {
  await loadLeaflet();
  const state = maps.get(element) ?? open(element, tiles);
  const seen = new Set();
  for (const session of sessions) {
    if (session.lat === null || session.lon === null) {
      continue;
    }

    seen.add(session.id);
    const at = [session.lat, session.lon];
    const label = `${session.incident}, ${session.state}: open the session`;
    let marker = state.markers.get(session.id);
    if (!marker) {
      marker = L.marker(at, { title: label, alt: label, keyboard: true });
      marker.on('click', () => go(session.id));
      marker.addTo(state.map);
      state.markers.set(session.id, marker);
    } else {
      marker.setLatLng(at);
    }

    marker.unbindTooltip();
    marker.bindTooltip(`${session.incident} (${session.state}), ±${Math.round(session.accuracy)} m`);
  }

  for (const [id, marker] of state.markers) {
    if (!seen.has(id)) {
      marker.remove();
      state.markers.delete(id);
    }
  }

  // Frame the sessions once, when the first fixes arrive; after that the officer's pan and zoom stay.
  if (!state.fitted && state.markers.size > 0) {
    const bounds = L.latLngBounds([...state.markers.values()].map(m => m.getLatLng()));
    state.map.fitBounds(bounds.pad(0.5), { maxZoom: 16 });
    state.fitted = true;
  }

  element.dataset.markers = String(state.markers.size);
  element.dataset.sessions = [...state.markers.keys()].sort().join(' ');
}
