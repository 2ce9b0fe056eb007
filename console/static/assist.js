// Agent assist: debounced search as the agent types, keyboard first, one-click copy.
(function () {
  "use strict";
  const DEBOUNCE_MS = 180;
  const q = document.getElementById("q");
  const district = document.getElementById("district");
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const detected = document.getElementById("detected");
  const guide = document.getElementById("guide");
  const empty = document.getElementById("empty");
  const answer = document.getElementById("answer");
  const copyButton = document.getElementById("copy");
  const copyStatus = document.getElementById("copy-status");
  let candidates = [];
  let selected = -1;
  let timer = null;
  let inflight = null;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  }

  async function search() {
    const text = q.value.trim();
    if (inflight) inflight.abort();
    if (!text) { clear(); return; }
    inflight = new AbortController();
    const params = new URLSearchParams({ q: text });
    if (district.value) params.set("district", district.value);
    status.textContent = "检索中…";
    try {
      const response = await fetch("/api/assist/search?" + params, { signal: inflight.signal, headers: { Accept: "application/json" } });
      const data = await response.json();
      if (!response.ok) { status.textContent = data.error ? data.error.message : "检索失败"; return; }
      show(data);
      results.dataset.query = text;  // which question the list shows (the newest; older requests were cancelled)
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = "检索失败，请重试";
    }
  }

  function show(data) {
    candidates = data.candidates.slice();
    if (data.bundle) {
      // A life event (一件事一次办) named by the caller comes first, as the assistant answers it.
      candidates.unshift({ code: data.bundle.code, name: data.bundle.name + "（一件事一次办）", bundle: data.bundle,
                           answer_text: data.bundle.answer_text });
    }
    results.replaceChildren();
    detected.textContent = !district.value && data.district ? "识别到：" + data.district : "";
    status.textContent = candidates.length ? (data.decision === "answer" ? "最可能的事项：" : "可能的事项：") : "没有找到匹配的事项，可换个说法，或转 12345 热线。";
    candidates.forEach(function (candidate, index) {
      const li = el("li");
      li.setAttribute("role", "option");
      li.dataset.code = candidate.code;
      li.appendChild(el("div", (index + 1) + ". " + candidate.name));
      li.appendChild(el("div", candidate.code + (candidate.matched ? " · 匹配：" + candidate.matched : ""), "code"));
      li.addEventListener("click", function () { select(index); openGuide(); });
      results.appendChild(li);
    });
    select(candidates.length ? 0 : -1);
  }

  function clear() {
    candidates = [];
    delete results.dataset.query;
    results.replaceChildren();
    status.textContent = "";
    detected.textContent = "";
    select(-1);
  }

  function select(index) {
    selected = index;
    Array.from(results.children).forEach(function (li, i) {
      li.classList.toggle("selected", i === index);
      li.setAttribute("aria-selected", i === index ? "true" : "false");
      if (i === index) li.scrollIntoView({ block: "nearest" });
    });
    renderGuide(index >= 0 ? candidates[index] : null);
  }

  function fact(dl, label, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", label));
    dl.appendChild(el("dd", Array.isArray(value) ? value.join("；") : String(value)));
  }

  function renderBundle(candidate) {
    const b = candidate.bundle;
    document.getElementById("guide-title").textContent = candidate.name;
    document.getElementById("guide-meta").textContent = "联办编码 " + b.code + " · 包含 " + b.items.length + " 个事项";
    answer.textContent = b.answer_text;
    const body = document.getElementById("guide-body");
    body.replaceChildren();
    const list = el("ol");
    b.items.forEach(function (item) {
      const li = el("li");
      const link = el("a", item.name + "（" + item.code + "）");
      link.href = "#";
      link.addEventListener("click", function (event) { event.preventDefault(); q.value = item.code; search(); q.focus(); });
      li.appendChild(link);
      list.appendChild(li);
    });
    body.appendChild(list);
  }

  function renderGuide(candidate) {
    copyStatus.textContent = "";
    if (!candidate) { guide.hidden = true; empty.hidden = false; return; }
    if (candidate.bundle) { renderBundle(candidate); guide.hidden = false; empty.hidden = true; return; }
    const g = candidate.guide;
    const impl = g.implementation || {};
    document.getElementById("guide-title").textContent = g.name;
    document.getElementById("guide-meta").textContent = "事项编码 " + g.code + (g.power_type ? " · " + g.power_type : "") +
      " · 适用：" + (impl.region_name || "无实施清单") + (g.demonstration ? " · 演示数据" : "");
    answer.textContent = candidate.answer_text;
    const body = document.getElementById("guide-body");
    body.replaceChildren();
    const dl = el("dl");
    fact(dl, "实施主体", impl.body);
    fact(dl, "承诺时限", impl.promised_limit);
    fact(dl, "法定时限", g.statutory_limit);
    fact(dl, "收费", impl.fee === "收费" ? (impl.fee_detail || "收费") : impl.fee);
    fact(dl, "咨询电话", impl.consult_phone);
    fact(dl, "监督电话", impl.supervision_phone);
    fact(dl, "跑动次数", impl.trips);
    fact(dl, "网办深度", impl.online_depth);
    fact(dl, "办理入口", impl.online_url);
    fact(dl, "通办范围", impl.scope);
    fact(dl, "信息核验", impl.verified);
    fact(dl, "服务对象", g.audience);
    fact(dl, "办理结果", g.result);
    fact(dl, "设定依据", g.legal_basis);
    fact(dl, "俗称", g.aliases);
    fact(dl, "实施区县", (g.regions || []).map(function (r) { return r.name; }));
    body.appendChild(dl);
    (impl.windows || []).forEach(function (w) {
      body.appendChild(el("h3", "窗口：" + (w.name || "")));
      const wdl = el("dl");
      fact(wdl, "地址", w.address); fact(wdl, "时间", w.hours); fact(wdl, "电话", w.phone); fact(wdl, "指引", w.directions);
      body.appendChild(wdl);
    });
    if ((g.faq || []).length) {
      body.appendChild(el("h3", "常见问题"));
      g.faq.forEach(function (f) { body.appendChild(el("p", "问：" + f.q)); body.appendChild(el("p", "答：" + f.a, "muted")); });
    }
    guide.hidden = false;
    empty.hidden = true;
  }

  function openGuide() {
    if (selected < 0) return;
    copyButton.focus();
  }

  async function copyAnswer() {
    const text = answer.textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {
      const area = el("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      if (!ok) { copyStatus.textContent = "复制失败，请手动选择文本"; return; }
    }
    copyStatus.textContent = "已复制";
  }

  q.addEventListener("input", schedule);
  district.addEventListener("change", function () { if (q.value.trim()) search(); });
  copyButton.addEventListener("click", copyAnswer);
  q.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && candidates.length) { event.preventDefault(); select(Math.min(selected + 1, candidates.length - 1)); }
    else if (event.key === "ArrowUp" && candidates.length) { event.preventDefault(); select(Math.max(selected - 1, 0)); }
    else if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); if (candidates.length) openGuide(); else search(); }
    else if (event.key === "Escape") { event.preventDefault(); q.value = ""; clear(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.activeElement !== q) { event.preventDefault(); q.focus(); q.select(); }
  });
  q.focus();
})();
