// Sort and page every table marked "sortable" (clicking a header sorts by it; long tables are
// shown a page at a time). Cells may carry data-sort with the value to sort by. Tables the
// server sorts and pages (data-sorted="server": the topic pages) are left alone.
(function () {
  "use strict";
  var PAGE = 25;
  function key(cell) {
    var text = (cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent).trim();
    var cleaned = text.replace(/\u2212/g, "-").replace(/[,%+\s]/g, "");
    var whole = /^-?\d+(\.\d+)?$/.test(cleaned);
    var leading = cell.classList.contains("num") ? cleaned.match(/^-?\d+(\.\d+)?/) : null;
    var number = whole ? parseFloat(cleaned) : leading ? parseFloat(leading[0]) : null;
    return { text: text.toLowerCase(), number: number };
  }
  function compare(a, b) {
    if (a.number !== null && b.number !== null) { return a.number - b.number; }
    if (a.text === "" || b.text === "") { return a.text === "" ? 1 : -1; }
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  }
  function setUp(table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var page = 0;
    var pager = null;
    function show() {
      var pages = Math.max(1, Math.ceil(rows.length / PAGE));
      page = Math.min(page, pages - 1);
      rows.forEach(function (row, index) {
        row.hidden = index < page * PAGE || index >= (page + 1) * PAGE;
        body.appendChild(row);
      });
      if (pager) {
        pager.querySelector(".where").textContent = "Rows " + (page * PAGE + 1) + " to " +
          Math.min(rows.length, (page + 1) * PAGE) + " of " + rows.length;
        pager.querySelector(".previous").disabled = page === 0;
        pager.querySelector(".next").disabled = page >= pages - 1;
      }
    }
    // A table the server pages (data-paged="server") only sorts its page here.
    if (rows.length > PAGE && table.getAttribute("data-paged") !== "server") {
      pager = document.createElement("div");
      pager.className = "pager";
      pager.innerHTML = '<button type="button" class="previous">Previous</button>' +
        '<span class="where" aria-live="polite"></span><button type="button" class="next">Next</button>';
      pager.querySelector(".previous").addEventListener("click", function () { page -= 1; show(); });
      pager.querySelector(".next").addEventListener("click", function () { page += 1; show(); });
      var holder = table.parentElement && table.parentElement.classList.contains("scroll") ? table.parentElement : table;
      holder.parentNode.insertBefore(pager, holder.nextSibling);
    }
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (header, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (header.firstChild) { button.appendChild(header.firstChild); }
      header.appendChild(button);
      button.addEventListener("click", function () {
        var descending = header.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var keyed = rows.map(function (row, index) { return [key(row.cells[column] || row.cells[0]), index, row]; });
        keyed.sort(function (a, b) { return (descending ? -1 : 1) * compare(a[0], b[0]) || a[1] - b[1]; });
        rows = keyed.map(function (item) { return item[2]; });
        page = 0;
        show();
      });
    });
    show();
  }
  // A table the server sorts too (data-sorted="server") has links in its headings instead.
  function start() { document.querySelectorAll("table.sortable:not([data-sorted='server'])").forEach(setUp); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
