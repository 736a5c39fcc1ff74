// The hall map: draws the halls of the server-rendered list (the truth, usable without this script)
// on Leaflet over the project's own district GeoJSON. No tiles, no outside requests.
(function () {
  "use strict";

  function readJSON(el, name) {
    try { return JSON.parse(el.getAttribute(name) || "{}"); } catch (e) { return {}; }
  }

  function start() {
    var el = document.getElementById("hall-map");
    var figure = document.getElementById("hall-map-figure");
    if (!el || !figure || !window.L) { return; }
    figure.hidden = false;

    var styles = readJSON(el, "data-marker-styles");
    var districtNames = readJSON(el, "data-district-names");
    var chosen = el.getAttribute("data-district") || "";
    var map = L.map(el, { zoomControl: false, zoomSnap: 0.25, minZoom: 6, maxZoom: 18 });
    L.control.zoom({
      zoomInTitle: el.getAttribute("data-zoom-in") || "+",
      zoomOutTitle: el.getAttribute("data-zoom-out") || "-"
    }).addTo(map);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(el.getAttribute("data-attribution") || "");

    var markers = L.featureGroup().addTo(map);
    var byCode = {};
    var items = document.querySelectorAll("[data-hall]");
    Array.prototype.forEach.call(items, function (li) {
      var lat = parseFloat(li.getAttribute("data-lat"));
      var lng = parseFloat(li.getAttribute("data-lng"));
      if (!isFinite(lat) || !isFinite(lng)) { return; }
      var level = li.getAttribute("data-level");
      var district = li.getAttribute("data-district");
      var style = styles[level] || styles.community || {};
      var marker = L.circleMarker([lat, lng], {
        radius: style.radius || 6,
        color: style.color || "#1b1b1b",
        weight: style.weight || 2,
        fillColor: style.fillColor || "#ffffff",
        fillOpacity: 1,
        className: "hall-marker level-" + level + " district-" + district
      });
      // The popup reuses the list entry's own (already escaped) nodes.
      var popup = document.createElement("div");
      popup.className = "hall-popup";
      [".hall-name", ".hall-meta", ".hall-address", ".hall-status"].forEach(function (sel) {
        var part = li.querySelector(sel);
        if (part) { popup.appendChild(part.cloneNode(true)); }
      });
      marker.bindPopup(popup);
      marker.addTo(markers);
      byCode[li.getAttribute("data-code")] = marker;
      addShowButton(li, marker, el, map);
    });

    fetch(el.getAttribute("data-boundaries"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { fit(map, markers, null); return; }
        var selected = null;
        var layer = L.geoJSON(data, {
          style: function (f) {
            var on = String(f.properties.adcode) === chosen;
            return {
              color: on ? "#0b3d6b" : "#505a5f",
              weight: on ? 3 : 1,
              fillColor: on ? "#ffffff" : "#f3f2f1",
              fillOpacity: 1,
              className: "district-boundary district-" + f.properties.adcode
            };
          },
          interactive: false,
          onEachFeature: function (f, lyr) {
            var code = String(f.properties.adcode);
            if (code === chosen) { selected = lyr; }
            var centre = f.properties.center;
            if (centre) {
              L.tooltip({ permanent: true, direction: "center", className: "district-label", interactive: false })
                .setLatLng([centre[1], centre[0]])
                .setContent(districtNames[code] || f.properties.name)
                .addTo(map);
            }
          }
        }).addTo(map);
        layer.bringToBack();
        fit(map, markers, selected || layer);
      })
      .catch(function () { fit(map, markers, null); });
    fit(map, markers, null);
    el.setAttribute("data-ready", String(Object.keys(byCode).length));
  }

  function fit(map, markers, area) {
    var bounds = markers.getLayers().length ? markers.getBounds() : null;
    if (!bounds && area) { bounds = area.getBounds(); }
    if (!bounds) { map.setView([36.07, 120.38], 10); return; }
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.setView(bounds.getCenter(), 15);
    } else {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    }
  }

  function addShowButton(li, marker, el, map) {
    var nav = li.querySelector(".hall-nav");
    if (!nav) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary show-on-map";
    button.textContent = el.getAttribute("data-show-label") || "Map";
    button.addEventListener("click", function () {
      el.scrollIntoView({ block: "nearest" });
      map.setView(marker.getLatLng(), Math.max(map.getZoom(), 14));
      marker.openPopup();
    });
    nav.appendChild(button);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
