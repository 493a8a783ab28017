// energy-ties site: sort, filter and page the tables the server rendered (every row is in the page; without
// this script all of them show). Nothing is fetched: it works from disk. Text compares by code unit, numbers
// as numbers, empty cells last; the sort is stable, and a filter keeps the rows holding the text in any cell.
(function () {
  "use strict";
  var SIZES = [50, 200, 1000, 0]; // 0: all rows
  var uid = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function setup(table) {
    var tbody = table.tBodies[0];
    if (!tbody || !table.tHead) return;
    var all = Array.prototype.slice.call(tbody.rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var state = { order: all, shown: all, page: 0, size: SIZES[0], column: -1, dir: 0, query: "" };
    var cellText = null; // per row, each cell's text: read on the first sort or filter
    var rowText = null;

    function texts() {
      if (cellText === null) {
        cellText = all.map(function (r) {
          return Array.prototype.map.call(r.cells, function (c) { return c.textContent.trim(); });
        });
        rowText = cellText.map(function (cells) { return cells.join("\t").toLowerCase(); });
        all.forEach(function (r, i) { r._i = i; });
      }
    }

    uid += 1;
    var id = "t" + uid;
    var controls = el("div", { "class": "controls" });
    var label = el("label", { "for": id + "-q" }, "Filter rows ");
    var input = el("input", { type: "search", id: id + "-q", "aria-controls": id, autocomplete: "off" });
    label.appendChild(input);
    var sizeLabel = el("label", { "for": id + "-n" }, "Rows per page ");
    var select = el("select", { id: id + "-n", "aria-controls": id });
    SIZES.forEach(function (n) { select.appendChild(el("option", { value: String(n) }, n ? String(n) : "all")); });
    sizeLabel.appendChild(select);
    var prev = el("button", { type: "button", "aria-controls": id }, "Previous page");
    var next = el("button", { type: "button", "aria-controls": id }, "Next page");
    var status = el("p", { "class": "status", role: "status", "aria-live": "polite" });
    [label, sizeLabel, prev, next, status].forEach(function (c) { controls.appendChild(c); });
    table.id = table.id || id;
    controls.querySelectorAll("[aria-controls]").forEach(function (c) { c.setAttribute("aria-controls", table.id); });
    var anchor = table.parentNode.classList.contains("wrap") ? table.parentNode : table;
    anchor.parentNode.insertBefore(controls, anchor);

    function render() {
      var total = state.shown.length;
      var size = state.size || total || 1;
      var pages = Math.max(1, Math.ceil(total / size));
      state.page = Math.min(state.page, pages - 1);
      var from = state.page * size;
      var to = Math.min(total, from + size);
      var frag = document.createDocumentFragment();
      for (var i = from; i < to; i++) frag.appendChild(state.shown[i]);
      tbody.textContent = "";
      tbody.appendChild(frag);
      var what = state.query ? total + " of " + all.length + " rows match" : all.length + " rows";
      status.textContent = what + (total ? "; showing " + (from + 1) + "–" + to : "; none shown");
      status.setAttribute("data-shown", String(to - from));
      status.setAttribute("data-matching", String(total));
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
    }

    function filter() {
      var q = state.query;
      state.shown = q ? state.order.filter(function (r) { return rowText[r._i].indexOf(q) >= 0; }) : state.order;
    }

    function compare(column, numeric) {
      return function (a, b) {
        var x = cellText[a._i][column], y = cellText[b._i][column];
        if (x === "" || y === "") return x === y ? 0 : (x === "" ? 1 : -1);
        if (numeric) {
          var p = parseFloat(x), q = parseFloat(y);
          if (p !== q && !(isNaN(p) && isNaN(q))) return isNaN(p) ? 1 : isNaN(q) ? -1 : p - q;
        }
        return x < y ? -1 : x > y ? 1 : 0;
      };
    }

    function sortBy(column) {
      texts();
      var dir = state.column === column && state.dir === 1 ? -1 : 1;
      var cmp = compare(column, heads[column].getAttribute("data-sort") === "number");
      var order = all.slice().sort(cmp);
      if (dir === -1) order.reverse();
      state.order = order;
      state.column = column;
      state.dir = dir;
      heads.forEach(function (h, i) {
        h.setAttribute("aria-sort", i !== column ? "none" : dir === 1 ? "ascending" : "descending");
      });
      filter();
      state.page = 0;
      render();
    }

    heads.forEach(function (h, i) {
      var b = el("button", { type: "button", "class": "sort", title: "Sort by " + h.textContent });
      while (h.firstChild) b.appendChild(h.firstChild);
      h.appendChild(b);
      h.setAttribute("aria-sort", "none");
      b.addEventListener("click", function () { sortBy(i); });
    });
    input.addEventListener("input", function () {
      texts();
      state.query = input.value.trim().toLowerCase();
      filter();
      state.page = 0;
      render();
    });
    select.addEventListener("change", function () {
      state.size = parseInt(select.value, 10);
      state.page = 0;
      render();
    });
    prev.addEventListener("click", function () { state.page -= 1; render(); });
    next.addEventListener("click", function () { state.page += 1; render(); });
    table.setAttribute("data-ready", "true");
    render();
  }

  function start() {
    document.querySelectorAll("table[data-table]").forEach(setup);
    document.documentElement.setAttribute("data-site-ready", "true");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
