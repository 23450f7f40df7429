// Draw every chart on the page from its inline Vega-Lite spec (vega-embed, served locally).
(function () {
  "use strict";
  function draw() {
    document.querySelectorAll("div.vega[data-spec-id]").forEach(function (holder) {
      var source = document.getElementById(holder.getAttribute("data-spec-id"));
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      window.vegaEmbed(holder, spec, { actions: false, renderer: "svg" }).then(function () {
        holder.setAttribute("data-rendered", "true");
      }).catch(function (error) {
        holder.setAttribute("data-rendered", "error");
        holder.textContent = "The chart could not be drawn: " + error.message;
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
