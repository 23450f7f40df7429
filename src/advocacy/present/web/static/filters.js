// Carry the dashboard's global filters along the navigation: on a page whose filter bar holds
// filters, the links to the other dashboard pages (overview, explorer, the topic pages) get the
// same query (the pages of present/web/filters.py FILTERED_PAGES).
(function () {
  "use strict";
  var FILTERED = ["/", "/explore", "/answers", "/text", "/advocates", "/gaps", "/people"];
  function fold() {
    // On a phone the filter bar would fill the first screen: fold it, the chips say what is on.
    if (window.matchMedia("(max-width: 40rem)").matches) {
      document.querySelectorAll("details.filter-box[open]").forEach(function (box) {
        box.open = false;
      });
    }
  }
  function carry() {
    fold();
    var bar = document.querySelector("form.global-filters[data-query]");
    if (!bar) { return; }
    var query = bar.getAttribute("data-query");
    if (!query) { return; }
    document.querySelectorAll("header nav a").forEach(function (link) {
      var path = link.getAttribute("href");
      if (FILTERED.indexOf(path) >= 0) {
        link.setAttribute("href", path + "?" + query);
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", carry);
  } else {
    carry();
  }
})();
