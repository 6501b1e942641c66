// The check-in desk page. Online, every scan goes to the server (POST /api/desk/scans).
// When the server cannot be reached, the page verifies tickets itself against the offline
// bundle (public keys, revocation list, roster), answers at once, and queues the scans
// with their nonces in localStorage; it uploads them when the server is back and shows
// the conflicts the server reports. The ticket format is specified in docs/tickets.md,
// the keyboard-layout repair in docs/checkin.md. No dependencies.
"use strict";

(function () {
  const body = document.body;
  const desk = body.dataset.desk;
  const messages = JSON.parse(document.getElementById("desk-messages").textContent);
  const texts = JSON.parse(document.getElementById("desk-texts").textContent);
  const storageKey = (name) => "partnering.desk." + name;
  const element = (id) => document.getElementById(id);
  const input = element("scan-input");
  const answer = element("answer");

  // MARK: Text

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : ""));
  }

  function clock(iso) {
    const date = new Date(iso);
    // In the event's zone and on the 24-hour clock in both languages, as on the
    // organisers' pages (EventDateText), whatever the desk computer's zone and locale are:
    // English alone would write "01:18 PM".
    return date.toLocaleTimeString(body.dataset.lang || "fr", {
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: body.dataset.timeZone || undefined,
    });
  }

  // MARK: Keyboard-layout repair (same table as ScannedText.swift, see docs/checkin.md)

  const qwertyToAzerty = {
    "1": "&", "2": "é", "3": "\"", "4": "'", "5": "(", "6": "-", "7": "è", "8": "_", "9": "ç", "0": "à",
    "A": "Q", "Q": "A", "W": "Z", "Z": "W", "M": "?",
    "$": "4", "%": "5", "*": "8", "-": ")", ".": ":", "/": "!", ":": "M",
  };
  const azertyToQwerty = {};
  for (const [typed, received] of Object.entries(qwertyToAzerty)) azertyToQwerty[received] = typed;

  const startsLikeATicket = (text) => /^PT[0-9]:/.test(text);
  const upperASCII = (text) => text.replace(/[a-z]/g, (c) => c.toUpperCase());
  const undoAzerty = (text) => Array.from(text, (c) => azertyToQwerty[c] || c).join("");

  function normalise(raw) {
    const trimmed = raw.replace(/^[\s\u0000-\u001f]+|[\s\u0000-\u001f]+$/g, "");
    const candidates = [trimmed, upperASCII(trimmed), undoAzerty(trimmed), undoAzerty(upperASCII(trimmed))];
    return candidates.find(startsLikeATicket) || trimmed;
  }

  // MARK: Offline verification

  const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

  function base45Decode(text) {
    if (text.length % 3 === 1) return null;
    const values = [];
    for (const c of text) {
      const value = base45Alphabet.indexOf(c);
      if (value < 0) return null;
      values.push(value);
    }
    const bytes = [];
    for (let i = 0; i < values.length; i += 3) {
      if (i + 2 < values.length) {
        const n = values[i] + values[i + 1] * 45 + values[i + 2] * 2025;
        if (n > 65535) return null;
        bytes.push(n >> 8, n & 255);
      } else {
        const n = values[i] + values[i + 1] * 45;
        if (n > 255) return null;
        bytes.push(n);
      }
    }
    return new Uint8Array(bytes);
  }

  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const uint = (bytes) => bytes.reduce((value, byte) => value * 256 + byte, 0);

  function base64urlDecode(text) {
    const standard = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = standard + "=".repeat((4 - (standard.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  const importedKeys = new Map();

  async function publicKey(kid) {
    if (importedKeys.has(kid)) return importedKeys.get(kid);
    const entry = (state.bundle.keys || []).find((key) => key.kid === kid);
    if (!entry) return null;
    const key = await crypto.subtle.importKey("raw", base64urlDecode(entry.x), { name: "Ed25519" }, false, ["verify"]);
    importedKeys.set(kid, key);
    return key;
  }

  const domainPrefix = new TextEncoder().encode("partnering/ticket/v1\u0000");

  // The same checks, in the same order, as TicketVerifier and CheckInService.
  async function verifyOffline(text, now) {
    const bundle = state.bundle;
    if (!text.startsWith("PT1:")) return { code: startsLikeATicket(text) ? "unsupported_version" : "malformed" };
    const bytes = base45Decode(text.slice(4));
    if (!bytes || bytes.length !== 100) return { code: "malformed" };
    const ticketBody = bytes.slice(0, 36);
    const signature = bytes.slice(36);
    if (ticketBody[0] !== 1) return { code: "unsupported_version" };
    const notBefore = uint(ticketBody.slice(28, 32));
    const expiry = uint(ticketBody.slice(32, 36));
    if (expiry <= notBefore) return { code: "malformed" };
    if (!window.crypto || !crypto.subtle) return { code: null };
    let key;
    try {
      key = await publicKey(hex(ticketBody.slice(1, 5)));
    } catch (error) {
      return { code: null }; // This browser has no Ed25519 in WebCrypto.
    }
    if (!key) return { code: "unknown_key" };
    const message = new Uint8Array(domainPrefix.length + ticketBody.length);
    message.set(domainPrefix);
    message.set(ticketBody, domainPrefix.length);
    let genuine;
    try {
      genuine = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
    } catch (error) {
      return { code: null };
    }
    if (!genuine) return { code: "bad_signature" };
    if (hex(ticketBody.slice(17, 20)) !== bundle.eventTag) return { code: "other_event" };
    const ticket = hex(ticketBody.slice(5, 17));
    const number = uint(ticketBody.slice(20, 22));
    const entry = (bundle.roster || []).find((item) => item.card.number === number);
    const card = entry ? entry.card : null;
    if ((bundle.revoked || []).includes(ticket)) return { code: "revoked", card, ticket };
    const seconds = now.getTime() / 1000;
    if (seconds < notBefore) return { code: "not_yet_valid", card, ticket };
    if (seconds >= expiry) return { code: "expired", card, ticket };
    if (!entry) return { code: "unknown_participant", ticket };
    if (card.status !== "confirmed") return { code: "cancelled", card, ticket };
    const arrival = entry.arrival || state.localArrivals[card.participant];
    if (arrival) return { code: "already_checked_in", card, ticket, firstArrival: arrival };
    return { code: "admitted", card, ticket };
  }

  // MARK: State kept across reloads

  function load(name, fallback) {
    try {
      const text = localStorage.getItem(storageKey(name));
      return text ? JSON.parse(text) : fallback;
    } catch (error) {
      return fallback;
    }
  }

  function save(name, value) {
    localStorage.setItem(storageKey(name), JSON.stringify(value));
  }

  const state = {
    online: true,
    bundle: load("bundle", null),
    queue: load("queue", []),
    localArrivals: load("arrivals", {}),
  };

  function nonce() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "d-" + hex(bytes);
  }

  // MARK: Network

  class Unreachable extends Error {}

  async function call(method, path, payload) {
    let response;
    try {
      response = await fetch(path, {
        method,
        credentials: "same-origin",
        headers: payload ? { "Content-Type": "application/json" } : {},
        body: payload ? JSON.stringify(payload) : undefined,
      });
    } catch (error) {
      throw new Unreachable(String(error));
    }
    if (response.status === 401) {
      window.location.href = "/desk/login";
      throw new Error("signed out");
    }
    // A proxy in front of a stopped server answers 502-504: as good as unreachable.
    if ([502, 503, 504].includes(response.status)) throw new Unreachable("HTTP " + response.status);
    const answerBody = await response.json();
    if (!response.ok) throw new Error(answerBody.detail || answerBody.title || "HTTP " + response.status);
    return answerBody;
  }

  function setOnline(online) {
    state.online = online;
    const connection = element("connection");
    connection.className = online ? "online" : "offline";
    connection.textContent = online ? texts.online : texts.offline;
  }

  // MARK: Answers

  function show(outcome) {
    const admitted = outcome.code === "admitted";
    const pending = outcome.code === null;
    answer.className = "answer " + (pending ? "pending" : admitted ? "admitted" : "refused");
    answer.dataset.code = pending ? "unverified" : outcome.code;
    element("answer-verdict").textContent = pending ? "…" : admitted ? texts.admitted : texts.refused;
    const card = outcome.card || outcome.participant || null;
    element("answer-name").textContent = card ? card.name : "";
    const role = card ? (card.roleName[body.dataset.lang] || card.role) : "";
    element("answer-details").textContent = card ? [card.organisation, role].filter(Boolean).join(" — ") : "";
    let reason = "";
    if (pending) reason = texts.unverified;
    else if (!admitted) {
      reason = messages[outcome.code] || outcome.code;
      if (outcome.firstArrival) {
        reason += " " + format(texts.firstScan, { time: clock(outcome.firstArrival.time), desk: outcome.firstArrival.desk });
      }
    }
    element("answer-reason").textContent = reason;
    // An admitted person's badge prints from the server (it needs their ticket's QR code).
    const badge = element("answer-badge");
    badge.hidden = !(admitted && card && card.participant);
    if (!badge.hidden) badge.href = "/desk/badges/" + encodeURIComponent(card.participant);
    const list = element("answer-meetings");
    list.replaceChildren();
    if (admitted && card) {
      for (const meeting of firstMeetings(card.meetings || [], new Date())) {
        const item = document.createElement("li");
        item.textContent = `${meeting.time} · ${meeting.table} · ${meeting.counterpart}` +
          (meeting.counterpartOrganisation ? ` (${meeting.counterpartOrganisation})` : "");
        list.append(item);
      }
    }
  }

  // The first three meetings not over yet, on the day of the first of them.
  function firstMeetings(meetings, now) {
    const upcoming = meetings.filter((m) => new Date(m.end) > now).sort((a, b) => new Date(a.start) - new Date(b.start));
    if (upcoming.length === 0) return [];
    const day = new Date(upcoming[0].start).toDateString();
    return upcoming.filter((m) => new Date(m.start).toDateString() === day).slice(0, 3);
  }

  // MARK: Scanning

  async function scan(raw) {
    const text = normalise(raw);
    if (!text) return;
    const scanNonce = nonce();
    const scannedAt = new Date();
    if (state.online) {
      try {
        const outcome = await call("POST", "/api/desk/scans", { text, nonce: scanNonce });
        remember(outcome);
        show(outcome);
        refreshCounters();
        return;
      } catch (error) {
        if (!(error instanceof Unreachable)) {
          show({ code: "malformed" });
          return;
        }
        setOnline(false);
      }
    }
    await scanOffline(text, scanNonce, scannedAt);
  }

  // Arrivals seen online, so that the desk still knows them if the network goes before
  // the next bundle.
  function remember(outcome) {
    if (!outcome.participant) return;
    const arrival = outcome.code === "admitted" ? { time: outcome.time, desk: outcome.desk } : outcome.firstArrival;
    if (!arrival) return;
    state.localArrivals[outcome.participant.participant] = arrival;
    save("arrivals", state.localArrivals);
  }

  async function scanOffline(text, scanNonce, scannedAt) {
    const outcome = state.bundle ? await verifyOffline(text, scannedAt) : { code: null };
    if (outcome.code === "admitted") {
      state.localArrivals[outcome.card.participant] = { time: scannedAt.toISOString(), desk };
      save("arrivals", state.localArrivals);
    }
    state.queue.push({ text, nonce: scanNonce, scannedAt: scannedAt.toISOString(), localCode: outcome.code || "unverified" });
    save("queue", state.queue);
    show(outcome);
    renderOfflineState();
  }

  // MARK: Upload, bundle, counters

  let uploading = false;

  async function upload() {
    if (uploading || state.queue.length === 0) return;
    uploading = true;
    const batch = state.queue.slice(0, 1000);
    try {
      const report = await call("POST", "/api/desk/uploads", { scans: batch });
      setOnline(true);
      const sent = new Set(batch.map((scan) => scan.nonce));
      state.queue = state.queue.filter((scan) => !sent.has(scan.nonce));
      save("queue", state.queue);
      showConflicts(report.conflicts || []);
      const conflicts = element("conflicts");
      const done = document.createElement("li");
      done.className = "uploaded";
      done.style.color = "inherit";
      done.textContent = format(texts.uploaded, { count: batch.length });
      conflicts.prepend(done);
      await refreshBundle();
    } catch (error) {
      if (error instanceof Unreachable) setOnline(false);
    } finally {
      uploading = false;
      renderOfflineState();
    }
  }

  function showConflicts(conflicts) {
    const list = element("conflicts");
    for (const conflict of conflicts) {
      const item = document.createElement("li");
      item.className = "conflict";
      const name = conflict.participant ? conflict.participant.name : "?";
      item.textContent = conflict.kind === "admitted_twice"
        ? format(texts.conflict, {
            name, time: clock(conflict.scannedAt),
            desk: conflict.firstArrival ? conflict.firstArrival.desk : "?",
            first: conflict.firstArrival ? clock(conflict.firstArrival.time) : "?",
          })
        : format(texts.conflictRefused, {
            name, time: clock(conflict.scannedAt), reason: messages[conflict.serverCode] || conflict.serverCode,
          });
      list.append(item);
    }
  }

  async function refreshBundle() {
    try {
      const bundle = await call("GET", "/api/desk/bundle");
      state.bundle = bundle;
      importedKeys.clear();
      save("bundle", bundle);
      // Arrivals the server knows replace the ones this desk made offline.
      state.localArrivals = {};
      save("arrivals", state.localArrivals);
      setOnline(true);
    } catch (error) {
      if (error instanceof Unreachable) setOnline(false);
    }
    renderOfflineState();
  }

  async function refreshCounters() {
    try {
      const counters = await call("GET", "/api/desk/counters");
      setOnline(true);
      const list = element("counters");
      list.replaceChildren();
      for (const role of counters.roles) {
        const item = document.createElement("li");
        item.dataset.role = role.role;
        const name = document.createElement("span");
        name.textContent = role.name[body.dataset.lang] || role.role;
        const figures = document.createElement("strong");
        figures.textContent = `${role.arrived} / ${role.expected}`;
        item.append(name, figures);
        list.append(item);
      }
      if (state.queue.length > 0) upload();
    } catch (error) {
      if (error instanceof Unreachable) setOnline(false);
    }
  }

  function renderOfflineState() {
    const parts = [];
    if (state.bundle) {
      parts.push(format(texts.bundleAt, { time: clock(state.bundle.generatedAt), count: state.bundle.roster.length }));
    } else {
      parts.push(texts.noBundle);
    }
    parts.push(state.queue.length ? format(texts.queue, { count: state.queue.length }) : texts.queueEmpty);
    element("offline-state").textContent = parts.join(" ");
  }

  // MARK: Search by name

  async function search(query) {
    const results = element("search-results");
    results.replaceChildren();
    let matches;
    try {
      matches = (await call("GET", "/api/desk/search?q=" + encodeURIComponent(query))).matches;
    } catch (error) {
      if (!(error instanceof Unreachable)) return;
      setOnline(false);
      const words = fold(query).split(/\s+/).filter(Boolean);
      matches = (state.bundle ? state.bundle.roster : [])
        .filter((entry) => words.every((word) => fold(entry.card.name + " " + entry.card.organisation).includes(word)))
        .slice(0, 20);
    }
    if (matches.length === 0) {
      const item = document.createElement("li");
      item.textContent = texts.noMatch;
      results.append(item);
    }
    for (const entry of matches) results.append(searchResult(entry));
  }

  function searchResult(entry) {
    const item = document.createElement("li");
    const card = entry.card;
    const label = document.createElement("span");
    label.textContent = `${card.name} — ${card.organisation} (${card.roleName[body.dataset.lang] || card.role}) `;
    item.append(label);
    const arrival = entry.arrival || state.localArrivals[card.participant];
    if (arrival) {
      const note = document.createElement("em");
      note.textContent = format(texts.arrivedAt, { time: clock(arrival.time), desk: arrival.desk });
      item.append(note);
    } else if (card.status !== "confirmed") {
      const note = document.createElement("em");
      note.textContent = texts["status_" + card.status] || card.status;
      item.append(note);
    } else {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = texts.admit;
      button.addEventListener("click", async () => {
        try {
          const outcome = await call("POST", "/api/desk/admissions", { participant: card.participant, nonce: nonce() });
          remember(outcome);
          show(outcome);
          refreshCounters();
          search(element("search-input").value);
        } catch (error) {
          if (error instanceof Unreachable) setOnline(false);
          button.replaceWith(document.createTextNode(texts.needsNetwork));
        }
        input.focus();
      });
      item.append(button);
    }
    return item;
  }

  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  // MARK: Camera (BarcodeDetector, where the browser has it)

  async function startCamera() {
    const video = element("camera");
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    let last = "";
    let lastAt = 0;
    const look = async () => {
      if (video.hidden) return;
      try {
        const codes = await detector.detect(video);
        const value = codes.length ? codes[0].rawValue : "";
        // The same code in front of the camera is one scan, not one per frame.
        if (value && (value !== last || Date.now() - lastAt > 5000)) {
          last = value;
          lastAt = Date.now();
          await scan(value);
        }
      } catch (error) {
        // A frame that could not be read: try the next one.
      }
      window.setTimeout(look, 250);
    };
    look();
  }

  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    const button = element("camera-button");
    button.hidden = false;
    button.addEventListener("click", () => {
      button.hidden = true;
      startCamera().catch(() => { button.hidden = false; });
    });
  }

  // MARK: Wiring: the scanner input keeps the focus

  element("scan-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value;
    input.value = "";
    scan(value);
  });

  element("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    search(element("search-input").value);
  });

  element("upload-button").addEventListener("click", () => upload());

  // A keyboard-wedge scanner types into whatever has the focus: give it back to the
  // scanner input whenever nothing else that takes typing holds it.
  const takesTyping = (node) => node && (node.id === "search-input" || node.tagName === "BUTTON" || node.tagName === "A");
  input.addEventListener("blur", () => {
    window.setTimeout(() => {
      if (!takesTyping(document.activeElement)) input.focus();
    }, 150);
  });
  document.addEventListener("keydown", (event) => {
    if (document.activeElement !== input && !takesTyping(document.activeElement) && event.key.length === 1) input.focus();
  });
  window.setInterval(() => {
    if (document.activeElement === document.body || document.activeElement === null) input.focus();
  }, 1000);
  window.addEventListener("online", () => refreshCounters());
  window.addEventListener("offline", () => setOnline(false));

  input.focus();
  renderOfflineState();
  refreshBundle().then(refreshCounters);
  window.setInterval(refreshCounters, 5000);
  window.setInterval(refreshBundle, 5 * 60 * 1000);

  // For tests and the curious: the offline verifier and the layout repair.
  window.partneringDesk = { normalise, verifyOffline, state };
})();
