// Draw every chart whose spec is embedded in the page (no network access).
(function () {
  "use strict";
  // plotly.js loads a base-map topology from a CDN for every geo subplot. The map
  // draws its countries from the embedded GeoJSON and switches every base layer
  // off, so an empty topology is registered instead: nothing is fetched.
  var empty = { type: "GeometryCollection", geometries: [] };
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
  window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
  window.PlotlyGeoAssets.topojson["world_110m"] = {
    type: "Topology", arcs: [],
    objects: { land: empty, ocean: empty, coastlines: empty, countries: empty, lakes: empty, rivers: empty, subunits: empty }
  };
  var specs = JSON.parse(document.getElementById("ftalab-figures").textContent);
  var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"] };
  var drawn = 0;
  Object.keys(specs).forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) { return; }
    Plotly.newPlot(el, specs[id].data, specs[id].layout, config).then(function () {
      drawn += 1;
      el.setAttribute("data-rendered", "true");
      if (drawn === Object.keys(specs).length) { document.body.setAttribute("data-charts-ready", "true"); }
    });
  });
  if (Object.keys(specs).length === 0) { document.body.setAttribute("data-charts-ready", "true"); }
})();
