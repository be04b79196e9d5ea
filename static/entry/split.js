// The quota split: each table's sum against the city quota, live, and each unit's share of last year.
// The server rounds and checks (entry/split.py, entry/services.py); this only shows the sum as typed.
(function () {
  "use strict";
  const SCALE = 6;
  function units(text) {
    let t = (text || "").normalize("NFKC").replace(/[\s,，]/g, "");
    if (t === "") return 0n;
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(t)) return null;
    const [w, f = ""] = t.split(".");
    return BigInt(w + f.padEnd(SCALE, "0").slice(0, SCALE));
  }
  function shown(u, places) {
    const neg = u < 0n; if (neg) u = -u;
    const s = u.toString().padStart(SCALE + 1, "0");
    let whole = s.slice(0, -SCALE).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    let frac = s.slice(-SCALE).slice(0, Math.max(places, 0)).replace(/0+$/, "");
    return (neg ? "-" : "") + whole + (frac ? "." + frac : "");
  }
  document.querySelectorAll("section.split[data-quota]").forEach((section) => {
    const quota = section.dataset.quota ? units(section.dataset.quota) : null;
    const places = Number(section.dataset.places);
    const inputs = Array.from(section.querySelectorAll("input[type=text]"));
    const sum = section.querySelector(".split-sum");
    const rest = section.querySelector("input.rest");
    const lasts = Array.from(section.querySelectorAll("tr[data-last]"));
    const lastTotal = lasts.reduce((a, r) => a + (units(r.dataset.last) || 0n), 0n);
    lasts.forEach((r) => {
      const u = units(r.dataset.last) || 0n;
      r.querySelector(".share").textContent = lastTotal ? (Number((u * 10000n) / lastTotal) / 100).toFixed(2) + "%" : "—";
    });
    function update() {
      if (!sum || quota === null) return;
      let total = 0n, bad = false;
      inputs.forEach((i) => { const u = units(i.value); if (u === null) bad = true; else total += u; });
      const diff = total - quota;
      sum.classList.remove("over", "short", "exact");
      if (bad) { sum.textContent = "有格子不是数值"; sum.classList.add("over"); return; }
      if (diff > 0n) { sum.textContent = `${shown(total, places)}:超过全市目标 ${shown(diff, places)}`; sum.classList.add("over"); }
      else if (diff < 0n) { sum.textContent = `${shown(total, places)}:比全市目标少 ${shown(-diff, places)}` + (rest && rest.checked ? "(余数留在市本级)" : ""); sum.classList.add("short"); }
      else { sum.textContent = `${shown(total, places)}:与全市目标相等`; sum.classList.add("exact"); }
    }
    inputs.forEach((i) => {
      i.addEventListener("input", update);
      i.addEventListener("keydown", (e) => {
        const at = inputs.indexOf(i);
        if (e.key === "Enter" || e.key === "ArrowDown") { e.preventDefault(); (inputs[at + 1] || i).focus(); }
        if (e.key === "ArrowUp") { e.preventDefault(); (inputs[at - 1] || i).focus(); }
      });
    });
    if (rest) rest.addEventListener("change", update);
    update();
  });
})();
