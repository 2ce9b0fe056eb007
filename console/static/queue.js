/* 待处理问题: add an alias to an item from a queue row, or mark the row resolved. */
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var message = document.getElementById("queue-message");

  function show(text, isError) {
    message.textContent = text;
    message.className = isError ? "error" : "notice";
    message.hidden = false;
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error((data.error && data.error.message) || ("请求失败：" + response.status)); }
        return data;
      });
    });
  }

  function suggest(form, query, fillAlias) {
    var select = form.querySelector("select[name=item_code]");
    select.innerHTML = "<option value=\"\">正在查找相近事项…</option>";
    return fetch("/api/queue/suggest?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        select.innerHTML = "";
        var candidates = data.candidates || [];
        if (!candidates.length) {
          select.innerHTML = "<option value=\"\">没有相近事项，请在右侧搜索</option>";
        }
        candidates.forEach(function (c) {
          var option = document.createElement("option");
          option.value = c.code;
          option.textContent = c.name + "（" + c.code + "）";
          select.appendChild(option);
        });
        var alias = form.querySelector("input[name=alias]");
        if (fillAlias && !alias.value) { alias.value = data.core || query; }
        form.setAttribute("data-suggested", "1");
      })
      .catch(function () { select.innerHTML = "<option value=\"\">查找失败，请重试</option>"; });
  }

  function close(row, text) {
    row.classList.add("done");
    row.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    row.querySelector(".alias-form").hidden = true;
    show(text, false);
  }

  document.querySelectorAll("#queue-table tr[data-key]").forEach(function (row) {
    var key = row.getAttribute("data-key");
    var form = row.querySelector(".alias-form");
    var search = form.querySelector("input[name=item_search]");
    var timer = null;

    row.querySelector(".open-alias").addEventListener("click", function () {
      form.hidden = false;
      suggest(form, row.getAttribute("data-example"), true);
      form.querySelector("input[name=alias]").focus();
    });
    form.querySelector(".cancel").addEventListener("click", function () { form.hidden = true; });
    search.addEventListener("input", function () {
      clearTimeout(timer);
      if (search.value.trim()) { timer = setTimeout(function () { suggest(form, search.value.trim(), false); }, 250); }
    });
    search.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); } });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var alias = form.querySelector("input[name=alias]").value.trim();
      var code = form.querySelector("select[name=item_code]").value;
      if (!alias || !code) { show("请填写别名并选择事项", true); return; }
      post("/api/queue/alias", { key: key, item_code: code, alias: alias })
        .then(function (data) { close(row, "已为「" + data.item_name + "」添加别名“" + data.alias + "”，检索立即生效。"); })
        .catch(function (error) { show(error.message, true); });
    });
    row.querySelector(".resolve").addEventListener("click", function () {
      post("/api/queue/resolve", { key: key })
        .then(function () { close(row, "已标记为已处理。"); })
        .catch(function (error) { show(error.message, true); });
    });
  });
})();
