"use strict";
// The officer's player: WHEP video, the caller's position on a Leaflet map (marker, accuracy circle,
// trail) with its British National Grid reference, connection quality, the session's state, chat
// and "refresh picture" (a keyframe request). window.relayPlayer exposes state for the tests.
(() => {
  const config = JSON.parse(document.querySelector('meta[name="relay-config"]').content);
  const id = config.sessionId;
  const $ = name => document.getElementById(name);
  const player = window.relayPlayer = {
    state: null, mode: null, pc: null, socket: null, lastPosition: null, trail: [], messages: [],
    framesDecoded: 0, whepAttempts: 0, ended: false,
  };
  $("session").textContent = id.slice(0, 8);

  // --- Map ---------------------------------------------------------------------------------------

  const map = L.map("map", { zoomControl: true }).setView([54.0, -2.5], 5);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: config.maxZoom || 19, attribution: config.attribution || "" }).addTo(map);
  }
  const trailLine = L.polyline([], { color: "#1d4f91", weight: 3, opacity: 0.8 }).addTo(map);
  let marker = null;
  let circle = null;
  let centred = false;

  function showPosition(position, fit) {
    const at = [position.lat, position.lon];
    if (!marker) {
      marker = L.marker(at, { title: "Caller", alt: "Caller's position", keyboard: true }).addTo(map);
      circle = L.circle(at, { radius: position.accuracy, color: "#1d4f91", weight: 1, fillOpacity: 0.12 }).addTo(map);
    } else {
      marker.setLatLng(at);
      circle.setLatLng(at);
      circle.setRadius(position.accuracy);
    }
    if (fit || !centred) {
      map.setView(at, Math.max(map.getZoom(), 16));
      centred = true;
    } else if (!map.getBounds().contains(at)) {
      map.panTo(at);
    }
    $("gridref").textContent = position.gridRef || "outside the National Grid";
    $("en").textContent = position.easting == null ? "–" : Math.round(position.easting) + " E, " + Math.round(position.northing) + " N";
    $("latlon").textContent = position.lat.toFixed(6) + ", " + position.lon.toFixed(6);
    $("accuracy").textContent = "± " + Math.round(position.accuracy) + " m";
    $("motion").textContent = motion(position);
    player.lastPosition = position;
    updateAge();
  }

  const compass = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];
  function motion(position) {
    const parts = [];
    if (position.heading != null) parts.push(Math.round(position.heading) + "° " + compass[Math.round(position.heading / 45) % 8]);
    if (position.speed != null) parts.push((position.speed * 3.6).toFixed(1) + " km/h (" + (position.speed * 2.23694).toFixed(1) + " mph)");
    return parts.length ? parts.join(", ") : "not moving or unknown";
  }

  function updateAge() {
    const position = player.lastPosition;
    if (!position) return;
    const seconds = Math.max(0, Math.round((Date.now() - Date.parse(position.receivedAt)) / 1000));
    $("age").textContent = seconds < 60 ? seconds + " s ago" : Math.floor(seconds / 60) + " min " + (seconds % 60) + " s ago";
  }
  setInterval(updateAge, 1000);

  function addToTrail(position) {
    player.trail.push(position);
    if (player.trail.length > 2000) player.trail.shift();
    trailLine.addLatLng([position.lat, position.lon]);
  }

  // --- State -------------------------------------------------------------------------------------

  const stateText = {
    waiting: "Waiting for the caller", live: "Live", reconnecting: "Caller reconnecting…",
    gone: "Caller gone", ended: "Ended",
  };

  function setState(state) {
    if (player.withdrawn) return;
    player.state = state;
    const element = $("state");
    element.textContent = stateText[state] || state;
    element.className = "state " + state;
    if (state === "live" && player.mode === "video") watch();
    if (state === "gone" || state === "ended") closeVideo(state === "ended" ? "The session has ended." : "The caller has gone.");
    if (state === "ended") {
      player.ended = true;
      $("keyframe").disabled = true;
      $("snapshot").disabled = true;
      $("chat-text").disabled = true;
    }
    if (player.mode === "location") $("video-note").textContent = "Location only: this session has no video.";
  }

  // --- Video (WHEP) ------------------------------------------------------------------------------

  function gatheringComplete(pc) {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise(resolve => {
      const done = () => { pc.removeEventListener("icegatheringstatechange", check); resolve(); };
      const check = () => { if (pc.iceGatheringState === "complete") done(); };
      pc.addEventListener("icegatheringstatechange", check);
      setTimeout(done, 3000);
    });
  }

  // The officer's access was withdrawn (the session was unshared): stop the video and the socket for good.
  function withdraw(text) {
    if (player.withdrawn) return;
    player.withdrawn = true;
    player.ended = true;
    player.state = "withdrawn";
    const element = $("state");
    element.textContent = "Access withdrawn";
    element.className = "state ended";
    closeVideo(text || "Your access to this session was withdrawn: it is no longer shared with you.");
    $("keyframe").disabled = true;
    $("snapshot").disabled = true;
    $("chat-text").disabled = true;
    if (player.socket) player.socket.close();
  }

  async function watch() {
    if (player.pc || player.ended) return;
    // A browser without WebRTC (some tablets' in-app browsers, WebKit builds without it) cannot play
    // the video; say so once instead of failing silently, and keep the map and chat going.
    if (typeof RTCPeerConnection !== "function") {
      $("video-note").textContent = "This browser cannot play live video. The map and messages still work here; for video, open this player in Chrome, Edge, Firefox or Safari.";
      return;
    }
    const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle" });
    player.pc = pc;
    player.whepAttempts++;
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.addTransceiver("audio", { direction: "recvonly" });
    const stream = new MediaStream();
    pc.addEventListener("track", event => {
      stream.addTrack(event.track);
      $("video").srcObject = stream;
      if (event.track.kind === "audio") $("unmute").hidden = false;
    });
    pc.addEventListener("connectionstatechange", () => {
      if (player.pc !== pc) return;
      if (pc.connectionState === "connected") $("video-note").textContent = "";
      if (pc.connectionState === "failed") { closeVideo("Video connection lost; retrying…"); retryWatch(); }
    });
    try {
      await pc.setLocalDescription(await pc.createOffer());
      await gatheringComplete(pc);
      const response = await fetch("/whep/" + encodeURIComponent(id), {
        method: "POST", headers: { "Content-Type": "application/sdp" }, body: pc.localDescription.sdp, credentials: "same-origin",
      });
      if (response.status === 403) { withdraw(); return; }
      if (response.status !== 201) throw new Error("WHEP answered " + response.status);
      if (player.pc !== pc) return;
      player.resource = response.headers.get("Location");
      await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
    } catch {
      if (player.pc === pc) { closeVideo("Waiting for the caller's video…"); retryWatch(); }
    }
  }

  function retryWatch() {
    setTimeout(() => { if (player.state === "live" && !player.pc) watch(); }, 2000);
  }

  function closeVideo(note) {
    const pc = player.pc;
    player.pc = null;
    if (pc) pc.close();
    releaseViewer();
    const video = $("video");
    if (video.srcObject) video.srcObject.getTracks().forEach(track => track.stop());
    video.srcObject = null;
    $("video-note").textContent = note;
    for (const name of ["bitrate", "fps", "loss", "resolution"]) $(name).textContent = "–";
  }

  // Gives the relay this page's viewer back at once (DELETE of the WHEP resource) rather than when ICE
  // consent runs out 30 s later: on closing the video, and when the page goes (a closed tab, a reload,
  // the portal re-rendering the frame it embeds the player in). keepalive lets the request outlive the page.
  function releaseViewer() {
    const resource = player.resource;
    player.resource = null;
    if (resource) fetch(resource, { method: "DELETE", credentials: "same-origin", keepalive: true }).catch(() => {});
  }

  window.addEventListener("pagehide", releaseViewer);

  $("unmute").addEventListener("click", () => {
    const video = $("video");
    video.muted = !video.muted;
    $("unmute").setAttribute("aria-pressed", String(!video.muted));
    $("unmute").textContent = video.muted ? "Sound on" : "Sound off";
  });

  // Quality from getStats once a second: bitrate and loss over the last second.
  let previous = null;
  async function sampleStats() {
    const pc = player.pc;
    if (!pc) { previous = null; return; }
    let video = null;
    (await pc.getStats()).forEach(stat => { if (stat.type === "inbound-rtp" && stat.kind === "video") video = stat; });
    if (!video) return;
    player.framesDecoded = video.framesDecoded || 0;
    if (previous) {
      const seconds = (video.timestamp - previous.timestamp) / 1000;
      const kbps = seconds > 0 ? ((video.bytesReceived - previous.bytesReceived) * 8) / seconds / 1000 : 0;
      const received = (video.packetsReceived || 0) - (previous.packetsReceived || 0);
      const lost = Math.max(0, (video.packetsLost || 0) - (previous.packetsLost || 0));
      $("bitrate").textContent = Math.round(kbps) + " kbit/s";
      $("loss").textContent = received + lost > 0 ? ((100 * lost) / (received + lost)).toFixed(1) + " %" : "0 %";
    }
    $("fps").textContent = video.framesPerSecond != null ? Math.round(video.framesPerSecond) + " fps" : "–";
    $("resolution").textContent = video.frameWidth ? video.frameWidth + " × " + video.frameHeight : "–";
    previous = video;
  }
  setInterval(() => { sampleStats().catch(() => {}); }, 1000);
  player.stats = async () => { await sampleStats(); return { framesDecoded: player.framesDecoded, connectionState: player.pc ? player.pc.connectionState : "none" }; };

  // --- Events socket -----------------------------------------------------------------------------

  let socketAttempts = 0;
  function openSocket() {
    const url = new URL("/ws/sessions/" + encodeURIComponent(id), location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url);
    player.socket = socket;
    socket.onopen = () => { socketAttempts = 0; };
    socket.onmessage = event => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      onEvent(message);
    };
    socket.onclose = event => {
      if (player.socket === socket) player.socket = null;
      if (event.code === 4403) withdraw();
      if (player.ended) return;
      socketAttempts++;
      setTimeout(openSocket, Math.min(500 * socketAttempts, 5000));
    };
  }

  function send(message) {
    if (!player.socket || player.socket.readyState !== WebSocket.OPEN) return false;
    player.socket.send(JSON.stringify(message));
    return true;
  }

  function onEvent(message) {
    switch (message.type) {
      case "snapshot":
        player.mode = message.mode;
        player.trail = [];
        trailLine.setLatLngs([]);
        for (const position of message.trail || []) addToTrail(position);
        if (player.trail.length) showPosition(player.trail[player.trail.length - 1], true);
        player.messages = [];
        for (const chat of message.chat || []) player.messages.push(chat);
        renderMessages();
        setState(message.state);
        break;
      case "position":
        addToTrail(message);
        showPosition(message, false);
        break;
      case "chat":
        player.messages.push(message);
        renderMessages();
        break;
      case "state":
        player.mode = message.mode || player.mode;
        setState(message.state);
        break;
      case "withdrawn":
        withdraw(message.message);
        break;
      default:
        break;
    }
  }

  function renderMessages() {
    const list = $("messages");
    list.replaceChildren();
    for (const message of player.messages) {
      const li = document.createElement("li");
      li.className = message.from;
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = (message.from === "caller" ? "Caller" : "Officer" + (message.author ? " (" + message.author + ")" : ""))
        + " · " + new Date(message.time).toLocaleTimeString();
      li.append(who, document.createTextNode(message.text));
      list.append(li);
    }
    list.scrollTop = list.scrollHeight;
  }

  $("chat-form").addEventListener("submit", event => {
    event.preventDefault();
    const box = $("chat-text");
    const text = box.value.trim();
    if (text && send({ type: "chat", text })) box.value = "";
  });
  $("keyframe").addEventListener("click", () => send({ type: "keyframe" }));

  // Snapshot: the frame on screen, at the video's own resolution, as a JPEG into the session's evidence.
  async function snapshot() {
    const video = $("video");
    const note = $("snapshot-note");
    if (!video.videoWidth) { note.textContent = "No video to take a snapshot of."; return null; }
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    const blob = await new Promise(resolve => canvas.toBlob(resolve, "image/jpeg", 0.92));
    const response = await fetch("/api/sessions/" + encodeURIComponent(id) + "/snapshots", {
      method: "POST", headers: { "Content-Type": "image/jpeg" }, body: blob, credentials: "same-origin",
    });
    if (response.status !== 201) { note.textContent = "The snapshot could not be saved (" + response.status + ")."; return null; }
    const saved = await response.json();
    note.textContent = "Snapshot saved at " + new Date(saved.takenAt).toLocaleTimeString() + " (SHA-256 " + saved.sha256.slice(0, 12) + "…).";
    return saved;
  }
  $("snapshot").addEventListener("click", () => { snapshot().catch(() => { $("snapshot-note").textContent = "The snapshot could not be saved."; }); });
  player.snapshot = snapshot;
  player.send = send;
  player.markerLatLng = () => (marker ? marker.getLatLng() : null);

  openSocket();
})();
