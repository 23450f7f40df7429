// Carry the dashboard's global filters along the navigation: on a page whose filter bar holds
// filters, the links to the other dashboard pages (overview, explorer) get the same query.
(function () {
  "use strict";
  function carry() {
    var bar = document.querySelector("form.global-filters[data-query]");
    if (!bar) { return; }
    var query = bar.getAttribute("data-query");
    if (!query) { return; }
    document.querySelectorAll("header nav a").forEach(function (link) {
      var path = link.getAttribute("href");
      if (path === "/" || path === "/explore") {
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
