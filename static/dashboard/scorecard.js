/* The scorecard's column sort: click a header to sort the townships by it (again to reverse). The city's
   row stays on top (it is in the table head). Values come from data-* attributes as exact decimal text;
   an empty value (no quota, nothing reported) always sorts last. No framework. */
(function () {
  "use strict";
  var table = document.getElementById("scorecard");
  if (!table) return;
  var body = table.tBodies[0];

  function value(row, key) {
    var cell = key === "rank" || key === "name" || key === "score" ? row : row.querySelector("[data-" + key + "]");
    var raw = cell ? cell.getAttribute("data-" + key) : "";
    if (raw === null || raw === "") return null;
    return key === "name" ? raw : parseFloat(raw);
  }

  function sortBy(button) {
    var key = button.dataset.sort;
    var th = button.closest("th");
    // Rates and scores: best first on the first click; rank and name: in order.
    var ascending = th.getAttribute("aria-sort") ? th.getAttribute("aria-sort") !== "ascending" : key === "rank" || key === "name";
    table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, key), y = value(b, key);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      var order = x < y ? -1 : x > y ? 1 : 0;
      if (order === 0) order = (value(a, "name") < value(b, "name")) ? -1 : 1;
      return ascending ? order : -order;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  table.querySelectorAll("thead button[data-sort]").forEach(function (button) {
    button.addEventListener("click", function () { sortBy(button); });
  });
})();
