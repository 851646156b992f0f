// The helpline's live-call page, as progressive enhancement.
//
// * A running timer: the <time id="helpline-timer"> holds the server's start
//   time; this shows minutes:seconds since then (aria-live off: it is not
//   read out every second).
// * Autosave: every data-autosave-seconds, if any answer changed since the
//   last save, posts the form to data-autosave-url with the names of the
//   inputs changed ("changed") and what they held at the last save ("base",
//   JSON), so another window's newer answers are never overwritten. The
//   server answers {version, saved_at, problems, fields}; the page's hidden
//   version follows it, so "Save draft" and "Finish contact" carry on.
// * When the page is hidden or closed, the changes go with fetch keepalive
//   (or navigator.sendBeacon).
// * On a network error it keeps trying and says so in the polite status.
// Without JavaScript, "Save draft" posts the whole form instead.

const form = document.querySelector("form[data-helpline-contact]");

const pad = (n) => String(n).padStart(2, "0");

const startTimer = () => {
  const timer = document.getElementById("helpline-timer");
  if (!timer) return;
  const started = Date.parse(timer.getAttribute("datetime"));
  if (Number.isNaN(started)) return;
  const tick = () => {
    const seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
    const hours = Math.floor(seconds / 3600);
    const mmss = `${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
    timer.textContent = hours ? `${hours}:${mmss}` : mmss;
  };
  tick();
  window.setInterval(tick, 1000);
};

const SKIP = new Set(["csrfmiddlewaretoken", "version", "action"]);

// Every answer as {input name: [values]}, including empty lists for
// unticked boxes (so unticking is a change too).
const snapshot = () => {
  const values = {};
  for (const element of form.elements) {
    const name = element.name;
    if (!name || SKIP.has(name) || element.type === "submit") continue;
    if (!(name in values)) values[name] = [];
    if ((element.type === "checkbox" || element.type === "radio") && !element.checked) continue;
    values[name].push(element.value);
  }
  return values;
};

const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

const changedNames = (now, before) =>
  Object.keys(now).filter((name) => !same(now[name], before[name] || []));

const setInputs = (name, values) => {
  for (const element of form.elements) {
    if (element.name !== name) continue;
    if (element.type === "checkbox" || element.type === "radio") {
      element.checked = values.includes(element.value);
    } else {
      element.value = values.length ? values[0] : "";
    }
  }
};

const start = () => {
  const url = form.dataset.autosaveUrl;
  const every = Math.max(2, Number(form.dataset.autosaveSeconds) || 5) * 1000;
  const status = document.getElementById("helpline-autosave-status");
  const versionInputs = document.querySelectorAll("[data-helpline-version]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let saved = snapshot();
  let inFlight = false;
  let stopped = false;
  let submitting = false;
  let failures = 0;

  const say = (text) => {
    if (status) status.textContent = text;
  };
  const version = () => versionInputs[0].value;

  const body = (sent, names) => {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    data.append("version", version());
    const base = {};
    for (const name of names) {
      data.append("changed", name);
      base[name] = saved[name] || [];
      for (const value of sent[name]) data.append(name, value);
    }
    data.append("base", JSON.stringify(base));
    return data;
  };

  const handle = (answer, sent, names) => {
    failures = 0;
    for (const input of versionInputs) input.value = answer.version;
    for (const name of names) saved[name] = sent[name];
    for (const [name, values] of Object.entries(answer.fields || {})) {
      // Another window's answer was kept: show it, unless typed over since.
      const now = snapshot();
      if (same(now[name] || [], sent[name] || [])) setInputs(name, values);
      saved[name] = values;
    }
    if ((answer.saved || []).includes("caller_key")) {
      // The word or number has been turned into a code: clear it.
      for (const name of ["caller_word", "caller_phone"]) {
        setInputs(name, []);
        saved[name] = [];
      }
    }
    if (typeof answer.earlier === "number") {
      const earlier = document.getElementById("helpline-earlier");
      if (earlier) {
        earlier.textContent = `Linked: ${answer.earlier} earlier contact${answer.earlier === 1 ? "" : "s"} from this caller.`;
      }
    }
    const problems = Object.values(answer.problems || {});
    let text = `Draft saved at ${answer.saved_at}.`;
    if (problems.length) text += ` Not saved: ${problems.join(" ")}`;
    say(text);
  };

  const save = async ({ leaving = false } = {}) => {
    if (stopped || submitting || (inFlight && !leaving)) return;
    const sent = snapshot();
    const names = changedNames(sent, saved);
    if (!names.length) return;
    const data = body(sent, names);
    let request;
    try {
      request = fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        keepalive: leaving,
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
    } catch {
      if (leaving && navigator.sendBeacon) navigator.sendBeacon(url, data);
      return;
    }
    inFlight = true;
    try {
      const response = await request;
      if ([403, 404, 409].includes(response.status)) {
        stopped = true;
        say("This draft can no longer be saved from this page. Reload the page to see it.");
        return;
      }
      if (!response.ok) throw new Error(`status ${response.status}`);
      handle(await response.json(), sent, names);
    } catch {
      failures += 1;
      say(
        failures > 1
          ? `Still cannot save the draft (no connection). Trying again every ${every / 1000} seconds: do not close this page.`
          : "Could not save the draft just now. Trying again.",
      );
    } finally {
      inFlight = false;
    }
  };

  form.addEventListener("submit", () => {
    submitting = true;
  });
  window.setInterval(() => save(), every);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save({ leaving: true });
  });
  window.addEventListener("pagehide", () => save({ leaving: true }));
};

if (form) {
  startTimer();
  start();
}
