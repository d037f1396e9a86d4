/* The public station finder: the "find stations near me" button, the quick filters and the map.
 *
 * All of it is optional. The server renders the whole list, filtered and sorted nearest-first, from the query
 * string; this script only fills in that query string (from the phone's location, or a point tapped on the map)
 * and draws the stations on a Leaflet map (vendored, no CDN).
 *
 * Coordinates arrive in the JSON block "finder-map-data" already converted into the tiles' coordinate system
 * (GCJ-02 for Amap tiles). A tapped point goes back as it is, with crs=<that system>, and the server converts it
 * to WGS-84 - so there is one conversion routine, stations/geo.py. The only requests this script causes are map
 * tiles, which may well be unreachable (offline county servers): the markers are HTML, not images, and a notice
 * says so when tiles fail. */
(function () {
  "use strict";

  function readJSON(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function escapeHTML(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Reload the list with some query parameters changed (null removes one), keeping the filters.
  function goWith(params) {
    var url = new URL(window.location.href);
    Object.keys(params).forEach(function (key) {
      if (params[key] === null) {
        url.searchParams.delete(key);
      } else {
        url.searchParams.set(key, params[key]);
      }
    });
    url.hash = "";
    window.location.assign(url.toString());
  }

  // --- "Find stations near me" -------------------------------------------------------------------------------

  function setupLocate(text) {
    var message = document.querySelector("[data-locate-message]");
    function say(words) {
      if (!message) return;
      message.textContent = words || "";
      message.hidden = !words;
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-locate]"), function (button) {
      button.addEventListener("click", function () {
        if (!("geolocation" in navigator)) {
          say(text.noGeolocation);
          return;
        }
        button.disabled = true;
        say(text.locating);
        navigator.geolocation.getCurrentPosition(
          function (position) {
            // The Geolocation API reports WGS-84, which is what the server expects without a crs.
            goWith({
              lat: position.coords.latitude.toFixed(6),
              lng: position.coords.longitude.toFixed(6),
              crs: null,
            });
          },
          function () {
            button.disabled = false;
            say(text.locateFailed);
          },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    });
  }

  // --- Quick filters apply at once -----------------------------------------------------------------------------

  function setupAutoSubmit() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-autosubmit]"), function (input) {
      input.addEventListener("change", function () {
        var form = input.form;
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      });
    });
  }

  // --- The map ---------------------------------------------------------------------------------------------------

  // A numbered pin: a rounded square turned 45 degrees, so that its square corner points at the place.
  function pinIcon(point, first) {
    var size = first ? 36 : 30;
    var tip = size / 2 + (size / 2) * Math.SQRT2; // from the top of the box to the corner, after turning
    var classes = "pin" + (point.open ? " pin-open" : "") + (first ? " pin-first" : "");
    return L.divIcon({
      className: "",
      html: '<div class="' + classes + '"><span>' + escapeHTML(point.n || "") + "</span></div>",
      iconSize: [size, size],
      iconAnchor: [size / 2, tip],
      popupAnchor: [0, -tip],
    });
  }

  function stationPopup(point, text) {
    return (
      '<div class="map-popup"><strong>' +
      escapeHTML(point.name) +
      "</strong>" +
      '<span class="badge ' +
      (point.open ? "badge-open" : "badge-closed") +
      '">' +
      escapeHTML(point.open ? text.open : text.closed) +
      "</span><br>" +
      '<a class="btn btn-primary" href="' +
      escapeHTML(point.url + window.location.search) +
      '">' +
      escapeHTML(text.details) +
      "</a></div>"
    );
  }

  function setupMap(element, data) {
    var text = data.text;
    var map = L.map(element, { attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.5 });
    var notice = document.querySelector("[data-map-notice]");
    var tiles = L.tileLayer(data.tileUrl, { minZoom: 3, maxZoom: 18 });
    var failed = false;
    tiles.on("tileerror", function () {
      if (failed || !notice) return;
      failed = true;
      notice.textContent = text.tilesFailed;
      notice.hidden = false;
    });
    tiles.addTo(map);

    // With a location, number 1 is the nearest station (red, as in the list). A single station is not numbered.
    var ranked = !!data.origin && data.points.length > 1;
    var stationBounds = [];
    data.points.forEach(function (point, index) {
      var marker = L.marker([point.lat, point.lng], {
        icon: pinIcon(point, ranked && index === 0),
        title: point.name,
        keyboard: true,
        zIndexOffset: data.points.length - index,
      });
      marker.bindPopup(stationPopup(point, text));
      marker.addTo(map);
      stationBounds.push([point.lat, point.lng]);
    });

    var here = null;
    if (data.origin) {
      here = L.marker(data.origin, {
        icon: L.divIcon({ className: "", html: '<div class="here-dot"></div>', iconSize: [20, 20], iconAnchor: [10, 10] }),
        title: text.youAreHere,
        zIndexOffset: 1000,
      })
        .bindTooltip(text.youAreHere, { direction: "top", offset: [0, -10] })
        .addTo(map);
    }

    // Frame the location and the nearest few stations; without a location, all of them.
    var frame = here ? [data.origin].concat(stationBounds.slice(0, 3)) : stationBounds;
    if (frame.length === 1) {
      map.setView(frame[0], 15);
    } else if (frame.length) {
      // More room at the top: a pin stands above its point.
      map.fitBounds(frame, { paddingTopLeft: [36, 60], paddingBottomRight: [36, 24], maxZoom: 16 });
    } else {
      map.setView([35.5, 112.5], 8);
    }

    // On the list, a tap on the map can be "my location" (phones without GPS, or a place one plans to go).
    if (element.dataset.pick) {
      map.on("click", function (event) {
        var link = document.createElement("button");
        link.type = "button";
        link.className = "btn btn-primary";
        link.textContent = text.pickHere;
        link.addEventListener("click", function () {
          goWith({
            lat: event.latlng.lat.toFixed(6),
            lng: event.latlng.lng.toFixed(6),
            crs: data.tileCrs === "wgs84" ? null : data.tileCrs,
          });
        });
        var box = document.createElement("div");
        box.className = "map-popup";
        box.appendChild(link);
        L.popup({ closeButton: true }).setLatLng(event.latlng).setContent(box).openOn(map);
      });
    }
    return map;
  }

  function start() {
    var data = readJSON("finder-map-data");
    if (data) setupLocate(data.text);
    setupAutoSubmit();
    var element = document.getElementById("finder-map");
    if (data && element && window.L) setupMap(element, data);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
