/* 效能看板: draws the charts from the figures embedded in the page (Chart.js, bundled). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var BLUE = "#0f4c81", LIGHT = "#5b9bd5", GREEN = "#2e9d5b", ORANGE = "#e08a1e", RED = "#c0392b", GREY = "#9aa5b1";
  var PALETTE = [BLUE, ORANGE, GREEN, RED, LIGHT, "#8e6bbf", GREY, "#d4a017"];

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new Chart(canvas, config);
    canvas.setAttribute("data-drawn", "1");
  }

  function bar(labels, values, label, color, horizontal) {
    return {
      type: "bar",
      data: { labels: labels, datasets: [{ label: label, data: values, backgroundColor: color }] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    };
  }

  function shortLabel(text, size) {
    return text.length > size ? text.slice(0, size - 1) + "…" : text;
  }

  draw("chart-days", {
    type: "line",
    data: {
      labels: data.by_day.map(function (d) { return d.day.slice(5); }),
      datasets: [
        { label: "消息数", data: data.by_day.map(function (d) { return d.turns; }), borderColor: BLUE, backgroundColor: BLUE, tension: 0.2 },
        { label: "对话数", data: data.by_day.map(function (d) { return d.conversations; }), borderColor: ORANGE, backgroundColor: ORANGE, tension: 0.2 }
      ]
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { position: "bottom" } } }
  });

  draw("chart-hours", bar(data.by_hour.map(function (h) { return h.hour + "时"; }),
    data.by_hour.map(function (h) { return h.turns; }), "消息数", LIGHT, false));

  draw("chart-channels", {
    type: "doughnut",
    data: {
      labels: data.by_channel.map(function (c) { return c.label; }),
      datasets: [{ data: data.by_channel.map(function (c) { return c.turns; }), backgroundColor: PALETTE }]
    },
    options: { plugins: { legend: { position: "right" } } }
  });

  var districts = data.by_district.slice(0, 12);
  draw("chart-districts", bar(districts.map(function (d) { return d.district; }),
    districts.map(function (d) { return d.turns; }), "消息数", BLUE, true));

  draw("chart-items", bar(data.top_items.map(function (i) { return shortLabel(i.item_name, 12); }),
    data.top_items.map(function (i) { return i.answers; }), "解答次数", GREEN, true));

  var rt = data.response_ms;
  draw("chart-latency", bar(["P50", "P90", "P95", "P99"], [rt.p50, rt.p90, rt.p95, rt.p99], "毫秒", ORANGE, false));

  var t = data.totals;
  draw("chart-outcomes", {
    type: "bar",
    data: {
      labels: ["办事提问", "转人工对话", "反馈"],
      datasets: [
        { label: "已解答", data: [t.answered, 0, 0], backgroundColor: GREEN, stack: "a" },
        { label: "未解答", data: [t.fallback, 0, 0], backgroundColor: RED, stack: "a" },
        { label: "其他", data: [Math.max(0, t.questions - t.answered - t.fallback), 0, 0], backgroundColor: GREY, stack: "a" },
        { label: "转人工", data: [0, t.handoff_conversations, 0], backgroundColor: ORANGE, stack: "a" },
        { label: "有用", data: [0, 0, t.useful], backgroundColor: LIGHT, stack: "a" },
        { label: "没用", data: [0, 0, t.useless], backgroundColor: "#8e6bbf", stack: "a" }
      ]
    },
    options: {
      plugins: { legend: { position: "bottom", labels: { boxWidth: 10 } } },
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
    }
  });

  // Keep the CSV link on the dates being edited, so the export matches what will be shown.
  var from = document.getElementById("from"), to = document.getElementById("to"), link = document.getElementById("csv-link");
  function syncLink() {
    link.href = "/api/dashboard.csv?from=" + encodeURIComponent(from.value) + "&to=" + encodeURIComponent(to.value);
  }
  from.addEventListener("change", syncLink);
  to.addEventListener("change", syncLink);
  document.body.setAttribute("data-charts-ready", "1");
})();
