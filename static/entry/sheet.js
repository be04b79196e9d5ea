// The month sheet (月度数据填报): keyboard moves, pasting a column from Excel/WPS, and what each typed
// figure would give if saved now: the completion rate, and why the save would refuse a cell. Those
// come from the server (entry:sheet-rates, entry.services.month_sheet_preview), which reads the cells
// with the save's own parser and rates them by the one completion rule (completion.rule): this script
// computes nothing and parses no number. The server checks and stores; this only helps the typing.
(function () {
  "use strict";
  const form = document.getElementById("sheet-form");
  if (!form) return;
  const inputs = Array.from(form.querySelectorAll("input[name^='v-']"));
  const status = document.getElementById("sheet-status");
  const DELAY = 150; // ms of quiet typing before the server is asked
  let timer = null;
  let asked = 0; // the newest request: an older answer arriving late is dropped
  let pasted = ""; // what the last paste did, said until the next keystroke

  function show(row, cell) {
    const hint = row.querySelector(".cell-hint");
    hint.textContent = cell.problem;
    hint.hidden = !cell.problem;
    row.classList.toggle("typing-error", Boolean(cell.problem));
    row.querySelector(".rate").textContent = cell.rate;
    row.classList.toggle("changed", cell.changed);
  }

  function count() {
    const changed = form.querySelectorAll("tr.changed").length;
    status.textContent = pasted + (changed ? `已修改${changed}项,尚未保存` : "未修改");
    form.dataset.dirty = changed ? "1" : "";
  }

  async function ask() {
    const mine = ++asked;
    form.setAttribute("aria-busy", "true");
    let answer;
    try {
      const reply = await fetch(form.dataset.rates, { method: "POST", body: new FormData(form), credentials: "same-origin" });
      if (!reply.ok) throw new Error(reply.status);
      answer = await reply.json();
    } catch (error) {
      if (mine === asked) {
        form.removeAttribute("aria-busy");
        status.textContent = "暂时无法试算完成率(网络中断或登录已过期),保存时以服务器核对为准";
      }
      return;
    }
    if (mine !== asked) return;
    form.removeAttribute("aria-busy");
    inputs.forEach((input) => {
      const cell = answer.cells[input.name.slice(2)];
      if (cell) show(input.closest("tr"), cell);
    });
    count();
  }

  function refresh(input) {
    // Until the answer comes: the row counts as changed when its text differs from what was shown.
    input.closest("tr").classList.toggle("changed", input.value.trim() !== (input.dataset.original || "").trim());
    form.dataset.dirty = form.querySelector("tr.changed") ? "1" : "";
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY);
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
    pasted = `已粘贴${filled}格` + (extra ? `,多出的${extra}行没有可填的格子,未粘贴` : "") + ";";
    count();
    const last = inputs[start + filled - 1];
    if (last) last.focus();
  }

  inputs.forEach((input) => {
    input.addEventListener("input", () => { pasted = ""; refresh(input); });
    input.addEventListener("paste", paste);
    input.addEventListener("focus", () => input.select());
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === "ArrowDown") { event.preventDefault(); move(input, 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(input, -1); }
    });
  });
  if (inputs.some((i) => i.value.trim() !== (i.dataset.original || "").trim())) ask(); // a refused save

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
