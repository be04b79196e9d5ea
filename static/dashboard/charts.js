/* Charts of the leadership pages (Apache ECharts, installed from npm at set-up) and the watch that
   redraws a page when new figures have been computed. Numbers arrive as exact decimal strings. */
(function () {
  "use strict";
  var QJ = (window.QJ = {});
  var num = function (v) { return v === null || v === undefined || v === "" ? null : parseFloat(v); };
  // Figures grouped in thousands, as every page and workbook writes them (10,917; 1,545.7482).
  var grouped = function (v) {
    return v === null || v === undefined ? "—" : v.toLocaleString("zh-CN", { maximumFractionDigits: 4 });
  };
  var MONTHS = ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"];
  var charts = [];

  function chart(el) {
    if (!el || typeof echarts === "undefined") return null;
    // SVG: sharp when printed, light on a phone.
    var c = echarts.init(el, null, { renderer: "svg" });
    charts.push(c);
    return c;
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });

  QJ.sparklines = function (root) {
    root.querySelectorAll(".spark[data-trend]").forEach(function (el) {
      var values = el.dataset.trend.split(",").map(function (v) { return v === "null" ? null : num(v); });
      if (!values.some(function (v) { return v !== null; })) return;
      var c = chart(el);
      if (!c) return;
      c.setOption({
        animation: false,
        grid: { left: 2, right: 2, top: 4, bottom: 4 },
        xAxis: { type: "category", show: false, data: MONTHS.slice(0, values.length) },
        yAxis: { type: "value", show: false, min: 0 },
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v.toFixed(1) + "%"; } },
        series: [{ type: "line", data: values, symbol: "none", lineStyle: { width: 1.5 }, areaStyle: { opacity: 0.15 } }]
      });
    });
  };

  QJ.indicatorPage = function (url, year) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { drawSeries(data, year); drawRanking(data); document.body.dataset.chartsReady = "1"; })
      .catch(function (err) { document.body.dataset.chartsError = String(err); });
  };

  function drawSeries(data, year) {
    var c = chart(document.getElementById("series-chart"));
    if (!c || !data.progress) return;
    var p = data.progress, quota = num(p.quota), ratio = p.indicator.kind === "ratio";
    var flow = p.indicator.kind === "flow";
    var series = [
      { name: year + "年累计", type: "line", data: data.series.map(function (s) { return num(s.actual); }), connectNulls: false, label: { show: false } },
      { name: (year - 1) + "年同期", type: "line", data: data.series.map(function (s) { return num(s.last_year_actual); }), lineStyle: { type: "dashed" } }
    ];
    if (quota !== null) {
      series.push({ name: "年度目标", type: "line", symbol: "none", data: MONTHS.map(function () { return quota; }), lineStyle: { color: "#c0392b" }, itemStyle: { color: "#c0392b" } });
      if (flow) {
        series.push({ name: "时序进度线", type: "line", symbol: "none", lineStyle: { type: "dotted", color: "#b7791f" }, itemStyle: { color: "#b7791f" },
          data: data.series.map(function (s) { return +(quota * num(s.time_progress) / 100).toFixed(4); }) });
      }
    }
    c.setOption({
      animation: false,
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 30 },
      tooltip: { trigger: "axis", valueFormatter: grouped },
      xAxis: { type: "category", data: MONTHS },
      yAxis: { type: "value", name: ratio ? "%" : p.indicator.unit, axisLabel: { formatter: grouped } },
      series: series
    });
  }

  function drawRanking(data) {
    var el = document.getElementById("ranking-chart");
    var rated = data.ranking.filter(function (r) { return r.completion_rate !== null; });
    if (!el || !rated.length) return;
    var c = chart(el);
    if (!c) return;
    var colours = { ahead: "#1a7f37", behind: "#b7791f", far_behind: "#c0392b" };
    var rows = rated.slice().reverse();  // best at the top of a horizontal bar chart
    var progress = data.progress && data.progress.indicator.kind === "flow" ? num(data.progress.time_progress) : 100;
    c.setOption({
      animation: false,
      grid: { left: 90, right: 60, top: 30, bottom: 30 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v.toFixed(1) + "%"; } },
      xAxis: { type: "value", name: "完成率%" },
      yAxis: { type: "category", data: rows.map(function (r) { return r.org_name; }) },
      series: [{
        type: "bar",
        data: rows.map(function (r) { return { value: num(r.completion_rate), itemStyle: { color: colours[r.status] || "#57606a" } }; }),
        label: { show: true, position: "right", formatter: function (d) { return d.value.toFixed(1) + "%"; } },
        markLine: { symbol: "none", data: [{ xAxis: progress, name: "时序进度" }], label: { position: "start", formatter: "时序进度 " + progress.toFixed(1) + "%" }, lineStyle: { color: "#c0392b" } }
      }]
    });
  }

  /* Poll the cockpit's JSON (cheap: cached per figures stamp). A new stamp with the computation done
     means new figures: reload to show them; while the worker is still computing, say so. */
  // A reload for new figures is not the person's doing either (?auto=1, see accounts/middleware.py).
  function reloadQuietly() {
    var u = new URL(window.location.href);
    u.searchParams.set("auto", "1");
    window.location.replace(u.toString());
  }

  QJ.watch = function (url, el, every) {
    if (!el) return;
    var stale = document.getElementById("stale"), down = document.getElementById("service-down");
    function tick() {
      if (document.visibilityState !== "visible") return;
      // X-Portal-Poll: the page asks, not the person, so the idle sign-out still counts down.
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json", "X-Portal-Poll": "1" } })
        .then(function (r) {
          if (r.status === 401 || r.status === 403) { window.location.reload(); return null; }
          return r.ok ? r.json() : null;
        })
        .then(function (data) {
          if (!data) return;
          var unavailable = data.freshness.service_unavailable;
          if (stale) stale.hidden = !data.freshness.is_stale || unavailable;
          if (down) down.hidden = !unavailable;
          if (data.stamp !== el.dataset.stamp && !data.freshness.is_stale) reloadQuietly();
        })
        .catch(function () { /* offline for a moment: try again next tick */ });
    }
    window.setInterval(tick, every || 5000);
  };
})();
