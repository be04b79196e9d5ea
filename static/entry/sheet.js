// The month sheet (月度数据填报): keyboard moves, pasting a column from Excel/WPS, and the completion
// rate each typed figure would give, computed live from the row's declared data (data-base, -blank,
// -quota) with whole numbers (BigInt), rounded half up exactly as the server does
// (entry.selectors.projected_rate). The server checks and stores; this only helps the typing.
(function () {
  "use strict";
  const form = document.getElementById("sheet-form");
  if (!form) return;
  const inputs = Array.from(form.querySelectorAll("input[name^='v-']"));
  const status = document.getElementById("sheet-status");
  const SCALE = 6; // the database keeps figures to 6 decimal places (indicators.models.VALUE_PLACES)

  // "1,234" "１２３４" " 12 367 " "1.2万" "95人" -> "1234" … ; null when blank; undefined when not a number.
  function normalise(text, unit) {
    let t = (text || "").normalize("NFKC").replace(/[\s\u200b\ufeff]/g, "").replace(/，/g, ",");
    if (t === "" || ["-", "—", "——", "/"].includes(t)) return null;
    if (unit && t.endsWith(unit)) t = t.slice(0, -unit.length);
    let times = 0;
    if (t.endsWith("万")) { times = 4; t = t.slice(0, -1); }
    else if (t.endsWith("亿")) { times = 8; t = t.slice(0, -1); }
    if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, "");
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(t)) return undefined;
    return times ? shift(t, times) : t;
  }

  function shift(t, places) { // decimal string × 10^places, as a decimal string
    const [whole, frac = ""] = t.split(".");
    const f = frac.padEnd(places, "0");
    const digits = (whole + f.slice(0, places)).replace(/^0+(?=\d)/, "");
    const rest = f.slice(places);
    return rest ? digits + "." + rest : digits;
  }

  function units(decimal) { // "12.5" -> 12500000n (× 10^SCALE); null for ""
    if (decimal === null || decimal === undefined || decimal === "") return null;
    const [whole, frac = ""] = String(decimal).split(".");
    return BigInt(whole + frac.padEnd(SCALE, "0").slice(0, SCALE));
  }

  function rateText(row, typed) {
    const quota = units(row.dataset.quota);
    if (!quota) return "—";
    if (typed === null && row.dataset.hasData !== "1") return "—";
    const actual = units(row.dataset.base) + (typed === null ? units(row.dataset.blank) : units(typed));
    const places = Number(row.dataset.ratePlaces);
    const p = 10n ** BigInt(places);
    const ceiling = row.dataset.direction === "ceiling"; // a ceiling is rated ceiling ÷ figure
    if (ceiling && actual === 0n) return "—";
    const [top, bottom] = ceiling ? [quota, actual] : [actual, quota];
    const r = (2n * top * 100n * p + bottom) / (2n * bottom); // half up, exact (both ≥ 0)
    const s = r.toString().padStart(places + 1, "0");
    return (places ? s.slice(0, -places) + "." + s.slice(-places) : s) + "%";
  }

  function refresh(input) {
    const row = input.closest("tr");
    const unit = row.querySelector(".c-unit").textContent.trim();
    const value = normalise(input.value, unit);
    const hint = row.querySelector(".cell-hint");
    const rate = row.querySelector(".rate");
    if (value === undefined) {
      hint.textContent = "不是数值:请填数字(可带千位分隔符),不填报请留空";
      hint.hidden = false;
      row.classList.add("typing-error");
      rate.textContent = "—";
    } else {
      hint.hidden = true;
      row.classList.remove("typing-error");
      const places = Number(row.dataset.valuePlaces);
      const frac = value === null ? "" : (value.split(".")[1] || "").replace(/0+$/, "");
      if (frac.length > places && !row.querySelector(".cell-error")) {
        hint.textContent = places ? `最多${places}位小数` : "须为整数";
        hint.hidden = false;
      }
      rate.textContent = rateText(row, value);
    }
    const changed = (normalise(input.value, unit) ?? "") !== (normalise(input.dataset.original, unit) ?? "");
    row.classList.toggle("changed", changed);
    const count = form.querySelectorAll("tr.changed").length;
    status.textContent = count ? `已修改${count}项,尚未保存` : "未修改";
    form.dataset.dirty = count ? "1" : "";
  }

  function move(from, by) {
    const next = inputs[inputs.indexOf(from) + by];
    if (next) { next.focus(); next.select(); return true; }
    if (by > 0) document.getElementById("save").focus();
    return false;
  }

  function paste(event) {
    const text = (event.clipboardData || window.clipboardData).getData("text/plain");
    if (!/[\t\r\n]/.test(text.replace(/[\r\n]+$/, ""))) return; // one value: the browser pastes it
    event.preventDefault();
    const lines = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
    const start = inputs.indexOf(event.target);
    let filled = 0;
    lines.forEach((line, i) => {
      const target = inputs[start + i];
      if (!target) return;
      target.value = line.split("\t")[0].trim();
      refresh(target);
      filled += 1;
    });
    const extra = lines.length - filled;
    status.textContent = `已粘贴${filled}格` + (extra ? `,多出的${extra}行没有可填的格子,未粘贴` : "") + ";" + status.textContent;
    const last = inputs[start + filled - 1];
    if (last) last.focus();
  }

  inputs.forEach((input) => {
    input.addEventListener("input", () => refresh(input));
    input.addEventListener("paste", paste);
    input.addEventListener("focus", () => input.select());
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === "ArrowDown") { event.preventDefault(); move(input, 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(input, -1); }
    });
    refresh(input);
  });

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  let submitting = false;
  form.addEventListener("submit", () => { submitting = true; });
  window.addEventListener("beforeunload", (event) => {
    if (form.dataset.dirty && !submitting) event.preventDefault();
  });
  document.querySelectorAll("[data-focus]").forEach((link) => {
    link.addEventListener("click", (event) => {
      const input = form.querySelector(`input[name='v-${link.dataset.focus}']`);
      if (input) { event.preventDefault(); input.focus(); }
    });
  });
  // After a refused save, the cursor waits in the first cell to fix; else in the first empty one.
  const first = form.querySelector("tr.has-error input[name^='v-'], tr.has-warning input[name^='v-']")
    || inputs.find((i) => i.value === "") || inputs[0];
  if (first) first.focus();
})();
