// ftalab dashboard: plain fetch calls against the JSON API (/api/...); no framework, no build step.
"use strict";

const $ = (id) => document.getElementById(id);
let presetToml = "";  // the selected preset's TOML as served, to tell an edited scenario from the preset
let pollTimer = null;

async function api(path, options) {
  const resp = await fetch(path, options);
  const body = await resp.json().catch(() => ({ detail: `HTTP ${resp.status}` }));
  if (!resp.ok) throw new Error(body.detail || `HTTP ${resp.status}`);
  return body;
}

function showError(message) {
  $("error").textContent = message || "";
  $("error").hidden = !message;
}

function fmt(v, digits) {
  return v === null || v === undefined ? "–" : v.toFixed(digits);
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) td.className = cls;
}

async function loadPresets() {
  const presets = await api("/api/presets");
  const select = $("preset");
  select.replaceChildren(...presets.map((p) => new Option(`${p.name} — ${p.title}`, p.name)));
  select.disabled = false;
  await selectPreset();
}

async function selectPreset() {
  const detail = await api(`/api/presets/${encodeURIComponent($("preset").value)}`);
  presetToml = detail.toml;
  $("toml").value = detail.toml;
  $("preset-title").textContent = detail.scenario.description || detail.title;
  $("run").disabled = false;
}

async function startRun() {
  showError("");
  const text = $("toml").value;
  const body = text === presetToml ? { preset: $("preset").value } : { toml: text };
  body.report = $("with-report").checked;
  $("run").disabled = true;
  try {
    const created = await api("/api/runs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    $("run-panel").hidden = false;
    $("results").hidden = true;
    $("run-id").textContent = created.id;
    poll(created.url);
  } catch (err) {
    showError(err.message);
    $("run").disabled = false;
  }
}

function poll(url) {
  clearTimeout(pollTimer);
  api(url).then((run) => {
    showRun(run);
    if (run.status === "queued" || run.status === "running") {
      pollTimer = setTimeout(() => poll(url), 1000);
    } else {
      $("run").disabled = false;
    }
  }).catch((err) => { showError(err.message); $("run").disabled = false; });
}

function showRun(run) {
  const status = $("run-status");
  status.textContent = `${run.scenario} — ${run.status}`;
  status.className = `status-${run.status}`;
  document.body.dataset.runStatus = run.status;
  $("progress").textContent = run.progress.join("\n") + (run.error ? `\n${run.error}` : "");
  if (run.status === "failed") showError(run.error);
  if (run.status !== "done") return;
  const tbody = $("headline-table").tBodies[0];
  tbody.replaceChildren();
  for (const r of run.headline) {
    const row = tbody.insertRow();
    if (r.iso3.startsWith("*")) row.className = "aggregate";
    cell(row, r.name + (r.joining ? " (joining)" : ""));
    cell(row, r.iso3);
    cell(row, fmt(r.value, 4), "num");
    cell(row, r.lo === null ? "–" : `[${fmt(r.lo, 4)}, ${fmt(r.hi, 4)}]`, "num");
  }
  const tb = $("trade-table").tBodies[0];
  tb.replaceChildren();
  for (const t of run.trade_effects) {
    const row = tb.insertRow();
    cell(row, t.measure.replaceAll("_", " "));
    cell(row, fmt(t.change_pct, 3), "num");
  }
  const links = $("links");
  links.replaceChildren();
  if (run.report_url) {
    const a = document.createElement("a");
    a.href = run.report_url;
    a.target = "_blank";
    a.id = "report-link";
    a.textContent = "Open the report";
    links.append(a, " · tables (CSV): ");
  } else {
    links.append("Tables (CSV): ");
  }
  Object.entries(run.tables).forEach(([name, href], i) => {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = name;
    links.append(...(i ? [", ", a] : [a]));
  });
  $("results").hidden = false;
}

document.addEventListener("DOMContentLoaded", () => {
  $("preset").addEventListener("change", () => selectPreset().catch((e) => showError(e.message)));
  $("run").addEventListener("click", startRun);
  api("/api/health").then((h) => { $("version").textContent = `ftalab ${h.version}`; }).catch(() => {});
  loadPresets().catch((e) => showError(e.message));
});
