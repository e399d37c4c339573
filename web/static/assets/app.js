// wslint page: vanilla JavaScript, no dependencies, no inline handlers.
// Everything that comes from the user or the server is put in the page as
// text (textContent / createTextNode), never as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const MAX_BYTES = 1 << 20;

  // el builds an element: el("span", {class: "x", dataset: {a: "b"}}, "text", child...).
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  // rich renders a message with `code` spans as text nodes and <code>
  // elements (text only: backticks never make markup).
  function rich(text) {
    const frag = document.createDocumentFragment();
    const parts = String(text).split("`");
    if (parts.length % 2 === 0) {
      frag.append(document.createTextNode(String(text))); // unbalanced: plain text
      return frag;
    }
    parts.forEach((part, i) => {
      if (!part) return;
      frag.append(i % 2 ? el("code", {}, part) : document.createTextNode(part));
    });
    return frag;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // ---------------------------------------------------------------- API

  class APIError extends Error {
    constructor(status, body) {
      const msg = body && typeof body.error === "string" ? body.error : "request failed with status " + status;
      super(msg);
      this.status = status;
      this.details = (body && Array.isArray(body.details)) ? body.details : [];
    }
  }

  async function api(method, path, body, onResponse) {
    const init = { method, headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(path, init);
    } catch (e) {
      throw new APIError(0, { error: "the server cannot be reached" });
    }
    if (onResponse) onResponse(resp);
    let data = null;
    try {
      data = await resp.json();
    } catch (e) {
      data = null;
    }
    if (!resp.ok) throw new APIError(resp.status, data);
    return data;
  }

  // lintAPI posts to /lint or /fix and also returns how the server read
  // the configuration (the X-Wslint-Kind header: nginx or unit).
  async function lintAPI(path, body) {
    let kind = "";
    const data = await api("POST", path, body, (resp) => { kind = resp.headers.get("X-Wslint-Kind") || ""; });
    return { data, kind };
  }

  function describeError(err) {
    let text = err.message;
    if (err.details && err.details.length) {
      text += ": " + err.details.slice(0, 3).map((d) => (d.pointer ? d.pointer + " " : "") + d.message).join("; ");
    }
    return text;
  }

  function setStatus(node, text, isError) {
    node.textContent = text;
    node.classList.toggle("error", !!isError);
  }

  // ---------------------------------------------------------------- tabs

  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  function selectTab(tab, focus) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
    if (tab.id === "tab-rules") loadRules();
    if (tab.id === "tab-generate") loadPresets();
  }
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => selectTab(tab, false));
    tab.addEventListener("keydown", (e) => {
      let j = -1;
      if (e.key === "ArrowRight") j = (i + 1) % tabs.length;
      else if (e.key === "ArrowLeft") j = (i - 1 + tabs.length) % tabs.length;
      else if (e.key === "Home") j = 0;
      else if (e.key === "End") j = tabs.length - 1;
      if (j >= 0) {
        e.preventDefault();
        selectTab(tabs[j], true);
      }
    });
  });

  // ---------------------------------------------------------------- lint form

  const config = $("config");
  const status = $("status");
  let shown = null; // {text, findings}: what the source view shows

  function splitList(s) {
    return s.split(/[\s,]+/).filter(Boolean);
  }

  function lintRequest() {
    const req = { config: config.value, kind: $("kind").value };
    const filename = $("filename").value.trim();
    if (filename) req.filename = filename;
    const nv = $("nginx-version").value.trim();
    if (nv) req.nginx_version = nv;
    const uv = $("unit-version").value.trim();
    if (uv) req.unit_version = uv;
    const paths = splitList($("ws-paths").value);
    if (paths.length) req.ws_paths = paths;
    return req;
  }

  function sizeOK(text) {
    if (new Blob([text]).size > MAX_BYTES - 4096) {
      setStatus(status, "The configuration is larger than the 1 MiB the server accepts.", true);
      return false;
    }
    return true;
  }

  let busy = false;
  async function run(label, fn) {
    if (busy) return;
    busy = true;
    $("lint").disabled = true;
    $("fix").disabled = true;
    setStatus(status, label + "…", false);
    document.body.dataset.busy = "true";
    try {
      await fn();
    } catch (err) {
      setStatus(status, describeError(err), true);
    } finally {
      busy = false;
      $("lint").disabled = false;
      $("fix").disabled = false;
      delete document.body.dataset.busy;
    }
  }

  async function doLint() {
    if (!sizeOK(config.value)) return;
    await run("Linting", async () => {
      const req = lintRequest();
      const { data: report, kind } = await lintAPI("/api/v1/lint", req);
      $("fix-result").hidden = true;
      showFindings(req.config, report.findings, false, kind);
      setStatus(status, "Linted " + new Date().toLocaleTimeString() + ".", false);
    });
  }

  let lastFix = null;
  async function doFix() {
    if (!sizeOK(config.value)) return;
    await run("Applying fixes", async () => {
      const req = lintRequest();
      req.unsafe = $("unsafe").checked;
      const { data: res, kind } = await lintAPI("/api/v1/fix", req);
      lastFix = { text: res.fixed, name: downloadName(kind) };
      showFix(res);
      showFindings(res.fixed, res.findings, true, kind);
      $("fix-result").scrollIntoView({ block: "start", behavior: "smooth" });
      setStatus(status, res.diff ? "Fixes applied." : "No fix applied.", false);
    });
  }

  function downloadName(kind) {
    const name = $("filename").value.trim().split(/[\\/]/).pop();
    if (name) return name;
    return kind === "unit" ? "unit.json" : "nginx.conf";
  }

  $("lint").addEventListener("click", doLint);
  $("fix").addEventListener("click", doFix);
  config.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      doLint();
    }
  });

  // Files: the picker and drag and drop read the file in the browser; only
  // its text is sent.
  async function loadFile(file) {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setStatus(status, file.name + " is larger than 1 MiB.", true);
      return;
    }
    config.value = await file.text();
    $("filename").value = file.name;
    setStatus(status, "Loaded " + file.name + ".", false);
    doLint();
  }
  $("file").addEventListener("change", (e) => {
    loadFile(e.target.files[0]);
    e.target.value = "";
  });
  const drop = $("drop");
  let depth = 0;
  drop.addEventListener("dragenter", (e) => {
    if (!e.dataTransfer || !Array.from(e.dataTransfer.types).includes("Files")) return;
    e.preventDefault();
    depth++;
    drop.classList.add("dragging");
  });
  drop.addEventListener("dragover", (e) => {
    if (e.dataTransfer && Array.from(e.dataTransfer.types).includes("Files")) e.preventDefault();
  });
  drop.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) drop.classList.remove("dragging");
  });
  drop.addEventListener("drop", (e) => {
    depth = 0;
    drop.classList.remove("dragging");
    if (e.dataTransfer && e.dataTransfer.files.length) {
      e.preventDefault();
      loadFile(e.dataTransfer.files[0]);
    }
  });

  // ---------------------------------------------------------------- findings

  const SEV_RANK = { error: 3, warning: 2, info: 1 };

  function showFindings(text, findings, afterFix, kind) {
    shown = { text, findings };
    const list = $("findings");
    clear(list);
    $("empty").hidden = true;
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of findings) counts[f.severity] = (counts[f.severity] || 0) + 1;

    const summary = $("summary");
    clear(summary);
    if (afterFix) summary.append(el("span", { class: "chip" }, "after fixes"));
    summary.append(el("span", { class: "chip", title: "How the configuration was read" }, kindLabel(kind)));
    if (!findings.length) {
      summary.append(el("span", { class: "chip ok" }, "no findings"));
      list.append(el("li", { class: "empty" }, afterFix ? "Nothing left to report." : "No problems found."));
    } else {
      for (const sev of ["error", "warning", "info"]) {
        if (counts[sev]) summary.append(el("span", { class: "chip " + sev }, plural(counts[sev], sev, sev === "info" ? "info" : sev + "s")));
      }
    }
    for (const f of findings) list.append(findingItem(f));
    renderSource(text, findings);
  }

  function kindLabel(kind) {
    const name = kind === "unit" ? "NGINX Unit" : "nginx";
    return $("kind").value === "auto" ? "detected: " + name : name;
  }

  function findingItem(f) {
    const sev = SEV_RANK[f.severity] ? f.severity : "info";
    const link = el("a", { class: "rule-link", href: "/api/v1/rules/" + encodeURIComponent(f.rule), dataset: { rule: f.rule } }, f.rule);
    link.addEventListener("click", (e) => {
      e.preventDefault();
      openRule(f.rule, link);
    });
    const goto = el("button", { type: "button", class: "goto", "aria-label": "Show line " + f.line + " in the source" }, "line " + f.line + ":" + f.column);
    goto.addEventListener("click", () => showLine(f.line));
    const item = el("li", { class: "finding " + sev, dataset: { rule: f.rule, line: String(f.line) } },
      el("div", { class: "finding-head" },
        el("span", { class: "sev " + sev }, f.severity),
        link,
        el("span", { class: "rule-name" }, f.name),
        goto),
      el("p", { class: "message" }, rich(f.message)));
    if (f.related && f.related.length) {
      const rel = el("ul", { class: "related" });
      for (const r of f.related) rel.append(el("li", {}, "line " + r.line + ": ", rich(r.message)));
      item.append(rel);
    }
    if (f.fixes && f.fixes.length) {
      const fx = f.fixes[0];
      item.append(el("p", { class: "fixline" }, el("span", { class: "applies" }, "Fix (" + fx.applicability + "): "), rich(fx.message)));
    }
    return item;
  }

  // byteIndex converts a 1-based UTF-8 byte column into a string index.
  function byteIndex(line, col) {
    let bytes = 0;
    let i = 0;
    const target = Math.max(0, col - 1);
    while (i < line.length && bytes < target) {
      const cp = line.codePointAt(i);
      bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      i += cp > 0xffff ? 2 : 1;
    }
    return i;
  }

  function renderSource(text, findings) {
    const code = $("code");
    clear(code);
    $("code-wrap").hidden = false;
    let lines = text.split("\n");
    if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
    lines = lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));

    const sevOf = new Map(); // line number → worst severity
    const ranges = new Map(); // line number → [{from, to, sev}]
    for (const f of findings) {
      const sev = SEV_RANK[f.severity] ? f.severity : "info";
      const last = Math.max(f.line, f.end_line || f.line);
      for (let n = f.line; n <= last && n <= lines.length; n++) {
        const cur = sevOf.get(n);
        if (!cur || SEV_RANK[sev] > SEV_RANK[cur]) sevOf.set(n, sev);
        const src = lines[n - 1] || "";
        const from = n === f.line ? byteIndex(src, f.column) : 0;
        const to = n === last ? byteIndex(src, f.end_column || f.column) : src.length;
        if (to > from) {
          if (!ranges.has(n)) ranges.set(n, []);
          ranges.get(n).push({ from, to, sev });
        }
      }
    }

    const frag = document.createDocumentFragment();
    lines.forEach((src, i) => {
      const n = i + 1;
      const sev = sevOf.get(n);
      const row = el("div", { class: "ln" + (sev ? " " + sev : ""), id: "L" + n, dataset: { line: String(n) } },
        el("span", { class: "no", "aria-hidden": "true" }, String(n)));
      const body = el("span", { class: "src" });
      const rs = (ranges.get(n) || []).sort((a, b) => a.from - b.from || SEV_RANK[b.sev] - SEV_RANK[a.sev]);
      let pos = 0;
      for (const r of rs) {
        if (r.from < pos) continue; // overlapping spans: the first one wins
        if (r.from > pos) body.append(document.createTextNode(src.slice(pos, r.from)));
        body.append(el("mark", { class: r.sev }, src.slice(r.from, r.to)));
        pos = r.to;
      }
      if (pos < src.length) body.append(document.createTextNode(src.slice(pos)));
      if (!src.length) body.append(document.createTextNode(" "));
      row.append(body);
      if (sev) row.setAttribute("aria-label", "line " + n + ", " + sev + ": " + src);
      frag.append(row);
    });
    code.append(frag);
  }

  function showLine(n) {
    const row = document.getElementById("L" + n);
    if (!row) return;
    const code = $("code");
    code.scrollTop = row.offsetTop - code.clientHeight / 3;
    row.scrollIntoView({ block: "nearest" });
    row.classList.remove("flash");
    void row.offsetWidth;
    row.classList.add("flash");
    code.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- fix result

  function showFix(res) {
    $("fix-result").hidden = false;
    const diff = $("diff");
    clear(diff);
    if (!res.diff) {
      diff.append(el("span", { class: "placeholder" }, "No change: no fix applies at this level" + ($("unsafe").checked ? "." : " (try unsafe fixes).")));
    } else {
      for (const line of res.diff.replace(/\n$/, "").split("\n")) {
        let cls = "";
        if (line.startsWith("+++") || line.startsWith("---")) cls = "file";
        else if (line.startsWith("@@")) cls = "hunk";
        else if (line.startsWith("+")) cls = "add";
        else if (line.startsWith("-")) cls = "del";
        diff.append(el("span", { class: cls }, line || " "));
      }
    }
    $("fixed").textContent = res.fixed;
    const added = (res.diff.match(/^\+(?!\+\+)/gm) || []).length;
    const removed = (res.diff.match(/^-(?!--)/gm) || []).length;
    $("fix-summary").textContent = res.diff
      ? plural(added, "line", "lines") + " added, " + plural(removed, "line", "lines") + " removed; " + plural(res.findings.length, "finding remains", "findings remain") + "."
      : plural(res.findings.length, "finding remains", "findings remain") + ".";
  }

  async function copyText(text, button) {
    const old = button.textContent;
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (e) {
      const ta = el("textarea", { class: "visually-hidden", readonly: true });
      ta.value = text;
      document.body.append(ta);
      ta.select();
      try { ok = document.execCommand("copy"); } catch (e2) { ok = false; }
      ta.remove();
    }
    button.textContent = ok ? "Copied" : "Copy failed";
    setTimeout(() => { button.textContent = old; }, 1500);
  }

  function download(text, name) {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  $("copy").addEventListener("click", (e) => lastFix && copyText(lastFix.text, e.currentTarget));
  $("download").addEventListener("click", () => lastFix && download(lastFix.text, lastFix.name));
  $("use-fixed").addEventListener("click", () => {
    if (!lastFix) return;
    config.value = lastFix.text;
    $("fix-result").hidden = true;
    config.focus();
    doLint();
  });

  // ---------------------------------------------------------------- rule documents

  const ruleCache = new Map();
  let opener = null;

  async function openRule(id, from) {
    opener = from || document.activeElement;
    const panel = $("rule-panel");
    const body = $("rule-body");
    $("rule-title").textContent = id;
    clear(body);
    body.append(el("p", { class: "empty" }, "Loading…"));
    panel.hidden = false;
    $("rule-backdrop").hidden = false;
    $("rule-close").focus();
    try {
      let doc = ruleCache.get(id);
      if (!doc) {
        doc = await api("GET", "/api/v1/rules/" + encodeURIComponent(id));
        ruleCache.set(id, doc);
      }
      renderRule(doc);
    } catch (err) {
      clear(body);
      body.append(el("p", { class: "status error" }, describeError(err)));
    }
  }

  function renderRule(d) {
    $("rule-title").textContent = d.id + " " + d.name;
    const body = $("rule-body");
    clear(body);
    body.append(el("div", { class: "meta" },
      el("span", { class: "chip " + d.severity }, d.severity),
      el("span", { class: "chip" }, d.language),
      el("span", { class: "chip" }, d.default ? "on by default" : "opt-in"),
      el("span", { class: "chip" }, d.fixable ? "fixable" : "no fix")));
    if (d.deprecated) body.append(el("p", { class: "status error" }, "Deprecated: " + d.deprecated));
    const section = (title, ...content) => body.append(el("h3", {}, title), ...content);
    section("Problem", el("p", {}, rich(d.summary)));
    section("Why", el("p", {}, rich(d.why)));
    section("Bad", el("pre", {}, d.bad));
    section("Good", el("pre", {}, d.good));
    if (d.fix_safety) section("Fix safety", el("p", {}, rich(d.fix_safety)));
    if (d.references && d.references.length) {
      const ul = el("ul");
      for (const r of d.references) {
        ul.append(el("li", {}, /^https?:\/\//.test(r) ? el("a", { href: r, rel: "noreferrer noopener", target: "_blank" }, r) : r));
      }
      section("References", ul);
    }
  }

  function closeRule() {
    $("rule-panel").hidden = true;
    $("rule-backdrop").hidden = true;
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  }
  $("rule-close").addEventListener("click", closeRule);
  $("rule-backdrop").addEventListener("click", closeRule);
  document.addEventListener("keydown", (e) => {
    const panel = $("rule-panel");
    if (panel.hidden) return;
    if (e.key === "Escape") {
      e.preventDefault();
      closeRule();
    } else if (e.key === "Tab") {
      // Keep focus inside the dialog.
      const items = Array.from(panel.querySelectorAll("a[href], button:not([disabled]), [tabindex]:not([tabindex='-1'])"));
      if (!items.length) return;
      const first = items[0], last = items[items.length - 1];
      if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
      else if (!panel.contains(document.activeElement)) { e.preventDefault(); first.focus(); }
    }
  });

  // ---------------------------------------------------------------- rules tab

  let rulesLoaded = false;
  async function loadRules() {
    if (rulesLoaded) return;
    rulesLoaded = true;
    const tbody = $("rules-body");
    try {
      const data = await api("GET", "/api/v1/rules");
      clear(tbody);
      for (const d of data.rules) {
        ruleCache.set(d.id, d);
        const link = el("a", { href: "/api/v1/rules/" + encodeURIComponent(d.id) }, d.id);
        link.addEventListener("click", (e) => {
          e.preventDefault();
          openRule(d.id, link);
        });
        const row = el("tr", { class: d.default ? "" : "off", dataset: { search: (d.id + " " + d.name + " " + d.summary).toLowerCase() } },
          el("td", {}, link),
          el("td", { class: "name" }, d.name),
          el("td", {}, el("span", { class: "sev " + d.severity }, d.severity)),
          el("td", {}, d.fixable ? "yes" : "—"),
          el("td", {}, rich(d.summary), d.default ? "" : " (opt-in)"));
        tbody.append(row);
      }
    } catch (err) {
      rulesLoaded = false;
      clear(tbody);
      tbody.append(el("tr", {}, el("td", { colspan: "5", class: "status error" }, describeError(err))));
    }
  }
  $("rules-filter").addEventListener("input", (e) => {
    const q = e.target.value.trim().toLowerCase();
    for (const row of $("rules-body").rows) row.hidden = q !== "" && !(row.dataset.search || "").includes(q);
  });

  // ---------------------------------------------------------------- generator

  // The generators' choices come from their request schemas, so the page
  // offers exactly what the API accepts.
  let presetsLoaded = false;
  async function loadPresets() {
    if (presetsLoaded) return;
    presetsLoaded = true;
    const fill = (select, values) => {
      for (const v of values || []) select.append(el("option", { value: v }, v));
    };
    const enumOf = (schema, key) => (schema.properties && schema.properties[key] && schema.properties[key].enum) || [];
    try {
      const [ngx, unit] = await Promise.all([
        api("GET", "/api/v1/schemas/api/generate-nginx-request.schema.json"),
        api("GET", "/api/v1/schemas/api/generate-unit-request.schema.json"),
      ]);
      fill($("gen-preset"), enumOf(ngx, "preset"));
      fill($("unit-preset"), enumOf(unit, "preset"));
      fill($("unit-app-type"), enumOf(unit, "app_type"));
      fill($("unit-protocol"), enumOf(unit, "protocol"));
      document.body.dataset.presets = "loaded";
    } catch (err) {
      presetsLoaded = false;
      setStatus($("gen-status"), describeError(err), true);
    }
  }

  function genTarget() {
    const checked = document.querySelector('input[name="gen-target"]:checked');
    return checked ? checked.value : "nginx";
  }
  for (const radio of document.querySelectorAll('input[name="gen-target"]')) {
    radio.addEventListener("change", () => {
      const unit = genTarget() === "unit";
      $("gen-nginx").hidden = unit;
      $("gen-unit").hidden = !unit;
    });
  }

  function nginxSpec() {
    const spec = {};
    const str = (id, key) => {
      const v = $(id).value.trim();
      if (v) spec[key] = v;
    };
    const list = (id, key) => {
      const v = splitList($(id).value);
      if (v.length) spec[key] = v;
    };
    str("gen-preset", "preset");
    list("gen-listen", "listen");
    str("gen-server-name", "server_name");
    list("gen-upstreams", "upstreams");
    list("gen-ws-paths", "ws_paths");
    str("gen-read-timeout", "read_timeout");
    str("gen-nginx-version", "nginx_version");
    str("gen-tls-cert", "tls_cert");
    str("gen-tls-key", "tls_key");
    const ka = $("gen-keepalive").value.trim();
    if (ka) spec.keepalive = Number(ka);
    if ($("gen-full").checked) spec.full = true;
    if (spec.server_name) spec.server_name = spec.server_name.split(/\s+/).join(" ");
    return spec;
  }

  let generated = null;
  $("gen-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const st = $("gen-status");
    const target = genTarget();
    setStatus(st, "Generating…", false);
    $("generate").disabled = true;
    try {
      const spec = target === "unit" ? unitSpec() : nginxSpec();
      const res = await api("POST", "/api/v1/generate/" + target, spec);
      generated = { text: res.config, kind: target };
      $("gen-output").textContent = res.config;
      for (const id of ["gen-copy", "gen-download", "gen-lint"]) $(id).disabled = false;
      setStatus(st, "Generated.", false);
    } catch (err) {
      setStatus(st, describeError(err), true);
    } finally {
      $("generate").disabled = false;
    }
  });
  $("gen-copy").addEventListener("click", (e) => generated && copyText(generated.text, e.currentTarget));
  $("gen-download").addEventListener("click", () => {
    if (!generated) return;
    download(generated.text, generated.kind === "unit" ? "unit.json" : ($("gen-full").checked ? "nginx.conf" : "app.conf"));
  });
  $("gen-lint").addEventListener("click", () => {
    if (!generated) return;
    config.value = generated.text;
    $("kind").value = generated.kind;
    $("filename").value = generated.kind === "unit" ? "unit.json" : "";
    selectTab($("tab-lint"), false);
    config.focus();
    doLint();
  });

  // unitSpec is filled in by the Unit generator's fields (see gen-unit).
  function unitSpec() {
    const spec = {};
    for (const input of $("gen-unit").querySelectorAll("[data-key]")) {
      const key = input.dataset.key;
      if (input.type === "checkbox") {
        if (input.checked) spec[key] = true;
      } else if (input.dataset.list) {
        const v = splitList(input.value);
        if (v.length) spec[key] = v;
      } else if (input.type === "number") {
        if (input.value.trim()) spec[key] = Number(input.value);
      } else if (input.value.trim()) {
        spec[key] = input.value.trim();
      }
    }
    return spec;
  }
})();
