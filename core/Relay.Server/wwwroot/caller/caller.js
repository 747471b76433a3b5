"use strict";
// The caller's page: consent, then Start (spends the link), then location over a WebSocket and,
// in a video session, the rear camera over WHIP. Reconnects by itself; Stop ends everything.
// window.relayCaller exposes the page's state for the end-to-end tests.
(() => {
  const strings = window.relayStrings;
  const $ = id => document.getElementById(id);
  const parts = location.pathname.split("/").filter(Boolean);
  const token = parts.length >= 2 && parts[0] === "c" ? decodeURIComponent(parts[1]) : "";
  const caller = window.relayCaller = {
    phase: "consent", session: null, pc: null, media: null, socket: null, watchId: null,
    positionsSent: 0, publishes: 0, connected: false, stopped: false, ended: false, messages: [],
  };
  let lang = chooseLanguage();
  let status = null;          // { key, warning }
  let offer = null;           // { key, actions: [{ key, run }] }
  let facing = "environment";
  let torchOn = false;
  let reconnectTimer = null;
  let reconnectAttempts = 0;
  let disconnectedTimer = null;
  let socketAttempts = 0;
  let pendingPosition = null;
  let lastPositionAt = 0;
  let lastFixAt = 0;
  let positionTimer = null;

  function chooseLanguage() {
    try {
      const saved = localStorage.getItem("relay-language");
      if (saved && strings[saved]) return saved;
    } catch { /* storage may be blocked */ }
    return (navigator.languages || [navigator.language || "en"]).some(l => /^cy\b/i.test(l)) ? "cy" : "en";
  }

  const t = key => (strings[lang] && strings[lang][key]) || strings.en[key] || key;

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-text]").forEach(element => { element.textContent = t(element.dataset.text); });
    const switcher = $("language");
    switcher.textContent = t("otherLanguage");
    switcher.lang = t("otherLanguageCode");
    $("torch").textContent = t(torchOn ? "torchOff" : "torchOn");
    renderStatus();
    renderOffer();
    renderSharing();
    renderMessages();
  }

  function show(section) {
    for (const id of ["insecure", "consent", "live", "finished", "problem"]) $(id).hidden = id !== section;
    caller.phase = section;
    const heading = $(section).querySelector("h1");
    if (heading) { heading.tabIndex = -1; heading.focus(); }
  }

  function setStatus(key, warning) { status = key ? { key, warning: !!warning } : null; renderStatus(); }

  function renderStatus() {
    const element = $("status");
    element.textContent = status ? t(status.key) : "";
    element.classList.toggle("warning", !!(status && status.warning));
  }

  function setOffer(key, actions) { offer = key ? { key, actions: actions || [] } : null; renderOffer(); }

  function renderOffer() {
    const box = $("offer");
    box.hidden = !offer;
    if (!offer) return;
    $("offer-text").textContent = t(offer.key);
    const button = $("offer-button");
    const action = offer.actions[0];
    button.hidden = !action;
    if (action) {
      button.textContent = t(action.key);
      button.onclick = () => { setOffer(null); action.run(); };
    }
  }

  function renderSharing() {
    const list = $("sharing");
    list.replaceChildren();
    const session = caller.session;
    if (!session) return;
    const items = [];
    if (caller.watchId !== null) items.push("sharingLocation");
    if (caller.media) {
      items.push("sharingVideo");
      items.push(caller.media.getAudioTracks().length > 0 ? "sharingAudio" : "sharingNoAudio");
    }
    for (const key of items) {
      const li = document.createElement("li");
      li.textContent = t(key);
      list.append(li);
    }
  }

  function renderMessages() {
    const list = $("messages");
    list.replaceChildren();
    for (const message of caller.messages) {
      const li = document.createElement("li");
      li.className = message.from === "officer" ? "officer" : "caller";
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = t(message.from === "officer" ? "officer" : "you");
      li.append(who, document.createTextNode(message.text));
      list.append(li);
    }
    list.scrollTop = list.scrollHeight;
  }

  // Through data-text, so switching the language afterwards translates the problem too.
  function problem(key) {
    $("problem-text").dataset.text = key;
    applyLanguage();
    show("problem");
  }

  function finish(titleKey, bodyKey) {
    $("finished-title").dataset.text = titleKey;
    $("finished-text").dataset.text = bodyKey;
    applyLanguage();
    show("finished");
  }

  // --- Start -----------------------------------------------------------------------------------

  async function start() {
    const button = $("start");
    button.disabled = true;
    button.textContent = t("starting");
    let response;
    try {
      response = await fetch("/c/" + encodeURIComponent(token) + "/start", { method: "POST", credentials: "same-origin" });
    } catch {
      button.disabled = false;
      button.textContent = t("start");
      setStatus(null);
      problem("networkProblem");
      return;
    }
    if (!response.ok) {
      // 410 covers an expired, a used and an ended link; the problem's title says which.
      let title = "";
      try { title = (await response.json()).title || ""; } catch { /* not a problem document */ }
      const gone = title === "Link expired" ? "linkExpired" : title === "Session ended" ? "linkEnded" : "linkUsed";
      problem(response.status === 410 ? gone : response.status === 404 ? "linkUnknown" : response.status === 429 ? "tooMany" : "networkProblem");
      return;
    }
    caller.session = await response.json();
    show("live");
    setStatus("statusConnecting");
    openSocket();
    startLocation();
    if (caller.session.mode === "video") await startVideo();
    else setStatus("statusWaitingLocation");
    renderSharing();
  }

  // --- Location --------------------------------------------------------------------------------

  function startLocation() {
    if (!("geolocation" in navigator)) {
      setOffer("noLocation");
      return;
    }
    caller.watchId = navigator.geolocation.watchPosition(onPosition, onPositionError, { enableHighAccuracy: true, maximumAge: 0, timeout: 30000 });
  }

  const finite = value => typeof value === "number" && Number.isFinite(value);

  function onPosition(position) {
    const c = position.coords;
    pendingPosition = {
      type: "position", lat: c.latitude, lon: c.longitude, accuracy: c.accuracy,
      heading: finite(c.heading) ? c.heading : null, speed: finite(c.speed) ? c.speed : null,
      time: position.timestamp,
    };
    lastFixAt = Date.now();
    if (status && (status.key === "statusWaitingLocation" || status.key === "locationUnavailable")) {
      setStatus(caller.session.mode !== "video" ? "statusLocationLive" : caller.connected ? "statusLive" : "statusConnecting");
    }
    flushPosition();
  }

  // At most one position every 400 ms (the relay takes five a second); the newest wins.
  function flushPosition() {
    if (!pendingPosition || positionTimer) return;
    const wait = 400 - (Date.now() - lastPositionAt);
    if (wait > 0) {
      positionTimer = setTimeout(() => { positionTimer = null; flushPosition(); }, wait);
      return;
    }
    if (sendMessage(pendingPosition)) {
      pendingPosition = null;
      lastPositionAt = Date.now();
      caller.positionsSent++;
    }
  }

  function onPositionError(error) {
    if (error.code === 1) {
      if (caller.watchId !== null) navigator.geolocation.clearWatch(caller.watchId);
      caller.watchId = null;
      renderSharing();
      setOffer("locationRefused", caller.media || caller.session.mode === "video" ? [{ key: "shareVideoOnly", run: () => {} }] : []);
    } else if (Date.now() - lastFixAt > 30000) {
      // A timeout between fixes is normal while the phone stands still; say so only after a long gap.
      setStatus("locationUnavailable", true);
    }
  }

  // --- Events socket ---------------------------------------------------------------------------

  function openSocket() {
    const url = new URL(caller.session.events, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url);
    caller.socket = socket;
    socket.onopen = () => { socketAttempts = 0; flushPosition(); };
    socket.onmessage = event => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      onEvent(message);
    };
    socket.onclose = () => {
      if (caller.socket === socket) caller.socket = null;
      if (caller.stopped || caller.ended) return;
      socketAttempts++;
      setTimeout(() => { if (!caller.stopped && !caller.ended) openSocket(); }, Math.min(500 * socketAttempts, 5000));
    };
  }

  function sendMessage(message) {
    const socket = caller.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  function onEvent(message) {
    switch (message.type) {
      case "snapshot":
        caller.messages = Array.isArray(message.chat) ? message.chat.map(m => ({ from: m.from, text: m.text })) : [];
        renderMessages();
        if (message.state === "ended") ended();
        break;
      case "chat":
        caller.messages.push({ from: message.from, text: message.text });
        renderMessages();
        break;
      case "state":
        if (message.state === "ended") ended();
        break;
      default:
        break;
    }
  }

  function ended() {
    if (caller.stopped || caller.ended) return;
    caller.ended = true;
    releaseEverything();
    finish("endedTitle", "endedBody");
  }

  // --- Video -----------------------------------------------------------------------------------

  async function startVideo() {
    // A browser without WebRTC (some in-app browsers and WebKit builds) could open the camera but never
    // send it: say so before taking the camera, rather than "reconnecting" for ever.
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof RTCPeerConnection !== "function") {
      setOffer("noCamera");
      setStatus(caller.watchId !== null ? "statusLocationLive" : null);
      return;
    }
    try {
      caller.media = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: facing }, width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
        audio: !!caller.session.audio,
      });
    } catch (error) {
      const refused = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
      setOffer(refused ? "cameraRefused" : "cameraMissing", [
        refused ? { key: "retryCamera", run: () => { startVideo().then(renderSharing); } } : { key: "shareLocationOnly", run: () => {} },
      ]);
      setStatus(caller.watchId !== null ? "statusLocationLive" : null);
      return;
    }
    const preview = $("preview");
    preview.srcObject = caller.media;
    preview.hidden = false;
    renderSharing();
    await setUpCameraControls();
    try {
      await publish();
    } catch {
      scheduleReconnect(1000);
    }
  }

  function gatheringComplete(pc) {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise(resolve => {
      const done = () => { pc.removeEventListener("icegatheringstatechange", check); resolve(); };
      const check = () => { if (pc.iceGatheringState === "complete") done(); };
      pc.addEventListener("icegatheringstatechange", check);
      setTimeout(done, 3000);
    });
  }

  // One WHIP session (RFC 9725, non-trickle). A reconnect is a new one on the same stream.
  async function publish() {
    const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle" });
    caller.pc = pc;
    for (const track of caller.media.getTracks()) {
      pc.addTransceiver(track, { direction: "sendonly", streams: [caller.media] });
    }
    pc.addEventListener("connectionstatechange", () => onConnectionState(pc));
    await pc.setLocalDescription(await pc.createOffer());
    await gatheringComplete(pc);
    const response = await fetch(caller.session.whip, {
      method: "POST",
      headers: { "Content-Type": "application/sdp", "Authorization": "Bearer " + caller.session.callerKey },
      body: pc.localDescription.sdp,
    });
    if (response.status !== 201) {
      pc.close();
      throw new Error("WHIP answered " + response.status);
    }
    if (caller.pc !== pc) { pc.close(); return; }
    await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
    caller.publishes++;
  }

  function onConnectionState(pc) {
    if (caller.pc !== pc || caller.stopped) return;
    switch (pc.connectionState) {
      case "connected": {
        const wasReconnecting = reconnectAttempts > 0 || caller.publishes > 1;
        clearTimeout(disconnectedTimer);
        disconnectedTimer = null;
        reconnectAttempts = 0;
        caller.connected = true;
        setStatus(wasReconnecting ? "statusReconnected" : "statusLive");
        break;
      }
      case "disconnected":
        // Often recovers by itself within a second or two; if not, start again.
        caller.connected = false;
        setStatus("statusReconnecting", true);
        if (!disconnectedTimer) disconnectedTimer = setTimeout(() => { disconnectedTimer = null; if (pc.connectionState !== "connected") scheduleReconnect(0); }, 3000);
        break;
      case "failed":
        caller.connected = false;
        scheduleReconnect(0);
        break;
      default:
        break;
    }
  }

  function scheduleReconnect(delay) {
    if (caller.stopped || caller.ended || reconnectTimer || !caller.media) return;
    setStatus("statusReconnecting", true);
    reconnectTimer = setTimeout(reconnect, delay);
  }

  async function reconnect() {
    reconnectTimer = null;
    if (caller.stopped || caller.ended) return;
    reconnectAttempts++;
    const old = caller.pc;
    caller.pc = null;
    caller.connected = false;
    if (old) old.close();
    try {
      await publish();
    } catch {
      scheduleReconnect(Math.min(1000 * reconnectAttempts, 10000));
    }
  }

  // A network change (Wi-Fi to mobile data) breaks the media path: publish again at once.
  function onNetworkChange() {
    if (caller.session && caller.media && caller.pc && caller.pc.connectionState !== "connected") scheduleReconnect(0);
    if (caller.session && !caller.socket && !caller.stopped && !caller.ended) openSocket();
  }
  window.addEventListener("online", onNetworkChange);
  if (navigator.connection && navigator.connection.addEventListener) navigator.connection.addEventListener("change", onNetworkChange);

  async function setUpCameraControls() {
    let cameras = 0;
    try {
      cameras = (await navigator.mediaDevices.enumerateDevices()).filter(d => d.kind === "videoinput").length;
    } catch { cameras = 0; }
    $("switch").hidden = cameras < 2;
    updateTorch();
  }

  function videoTrack() { return caller.media ? caller.media.getVideoTracks()[0] : null; }

  function updateTorch() {
    const track = videoTrack();
    const capabilities = track && track.getCapabilities ? track.getCapabilities() : {};
    torchOn = false;
    $("torch").hidden = !capabilities.torch;
    $("torch").setAttribute("aria-pressed", "false");
    $("torch").textContent = t("torchOn");
  }

  async function toggleTorch() {
    const track = videoTrack();
    if (!track) return;
    try {
      await track.applyConstraints({ advanced: [{ torch: !torchOn }] });
      torchOn = !torchOn;
    } catch { return; }
    $("torch").setAttribute("aria-pressed", String(torchOn));
    $("torch").textContent = t(torchOn ? "torchOff" : "torchOn");
  }

  async function switchCamera() {
    const next = facing === "environment" ? "user" : "environment";
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { exact: next }, width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
    } catch {
      return;
    }
    const track = stream.getVideoTracks()[0];
    const old = videoTrack();
    if (caller.pc) {
      const sender = caller.pc.getSenders().find(s => s.track && s.track.kind === "video");
      if (sender) await sender.replaceTrack(track);
    }
    if (old) { caller.media.removeTrack(old); old.stop(); }
    caller.media.addTrack(track);
    facing = next;
    $("preview").srcObject = caller.media;
    updateTorch();
  }

  // --- Stop ------------------------------------------------------------------------------------

  function releaseEverything() {
    clearTimeout(reconnectTimer);
    clearTimeout(disconnectedTimer);
    clearTimeout(positionTimer);
    if (caller.watchId !== null) navigator.geolocation.clearWatch(caller.watchId);
    caller.watchId = null;
    if (caller.pc) caller.pc.close();
    caller.pc = null;
    if (caller.media) caller.media.getTracks().forEach(track => track.stop());
    if (caller.socket) caller.socket.close();
    caller.socket = null;
    caller.connected = false;
  }

  async function stop() {
    if (caller.stopped) return;
    caller.stopped = true;
    const session = caller.session;
    // Tell the relay first, so every viewer's media ends at once rather than after a grace period.
    const told = fetch("/api/caller/" + encodeURIComponent(session.sessionId) + "/stop", {
      method: "POST",
      headers: { "Authorization": "Bearer " + session.callerKey },
      credentials: "same-origin",
    }).then(response => response.ok, () => false);
    releaseEverything();
    const ok = await told;
    finish("stoppedTitle", ok ? "stoppedBody" : "stopFailed");
  }

  // --- Wiring ----------------------------------------------------------------------------------

  $("language").addEventListener("click", () => {
    lang = lang === "en" ? "cy" : "en";
    try { localStorage.setItem("relay-language", lang); } catch { /* storage may be blocked */ }
    applyLanguage();
  });
  $("start").addEventListener("click", start);
  $("stop").addEventListener("click", stop);
  $("switch").addEventListener("click", switchCamera);
  $("torch").addEventListener("click", toggleTorch);
  $("reply").addEventListener("submit", event => {
    event.preventDefault();
    const box = $("reply-text");
    const text = box.value.trim();
    if (!text) return;
    if (sendMessage({ type: "chat", text })) box.value = "";
  });

  applyLanguage();
  if (!window.isSecureContext) show("insecure");
  else if (!token) problem("linkUnknown");
  else show("consent");
})();
