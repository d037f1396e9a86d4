/* The dashboard (数据看板): two charts (Chart.js) and the station map (Leaflet), both vendored - no CDN.
 *
 * The server renders every figure into the page; this script only reads the json_script blocks
 * "dashboard-charts" and "dashboard-map-data". The only network requests it causes are the map tiles, which may
 * well be unreachable (offline county servers): the markers are vector circles that need no image, and a notice
 * says so when tiles fail. */
(function () {
  "use strict";

  var STATUS_COLOURS = {
    planned: "#8c96a3",
    building: "#3b7dd8",
    operating: "#2e9d57",
    rectifying: "#d97a00",
    delisted: "#7a3b3b",
  };

  function readJSON(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function configureCharts() {
    Chart.defaults.font.family = cssVar("--font-family-primary", "sans-serif");
    Chart.defaults.font.size = 12;
    Chart.defaults.color = cssVar("--body-quiet-color", "#666");
    Chart.defaults.borderColor = cssVar("--hairline-color", "#e8e8e8");
    Chart.defaults.animation = false; // a management page: figures appear at once, and screenshots are stable
    Chart.defaults.maintainAspectRatio = false;
  }

  function kindChart(canvas, data) {
    // Statuses no station has would only clutter the legend.
    var datasets = data.datasets
      .filter(function (set) {
        return set.data.some(function (n) { return n > 0; });
      })
      .map(function (set) {
        return {
          label: set.label,
          data: set.data,
          backgroundColor: STATUS_COLOURS[set.status] || "#999",
          borderWidth: 0,
          maxBarThickness: 36,
        };
      });
    return new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: "y",
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: data.yLabel } },
          y: { stacked: true, grid: { display: false } },
        },
      },
    });
  }

  function byDatasetIndex(a, b) {
    return a.datasetIndex - b.datasetIndex;
  }

  function monthlyChart(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          {
            type: "bar",
            label: data.activitiesLabel,
            data: data.activities,
            yAxisID: "count",
            backgroundColor: "rgba(59, 125, 216, 0.75)",
            maxBarThickness: 28,
            order: 2, // drawn first, under the lines
          },
          {
            type: "line",
            label: data.participantsLabel,
            data: data.participants,
            yAxisID: "people",
            borderColor: "#2e9d57",
            backgroundColor: "#2e9d57",
            borderDash: [5, 4],
            tension: 0.25,
            pointRadius: 3,
            order: 1,
          },
          {
            type: "line",
            label: data.visitorsLabel,
            data: data.visitors,
            yAxisID: "people",
            borderColor: "#d97a00",
            backgroundColor: "#d97a00",
            tension: 0.25,
            pointRadius: 3,
            order: 0,
          },
        ],
      },
      options: {
        interaction: { mode: "index", intersect: false },
        plugins: {
          // Legend and tooltip in dataset order (activities, participants, visitors), not drawing order.
          legend: { position: "bottom", labels: { boxWidth: 12, sort: byDatasetIndex } },
          tooltip: { itemSort: byDatasetIndex },
        },
        scales: {
          x: { grid: { display: false } },
          count: {
            type: "linear",
            position: "left",
            beginAtZero: true,
            grace: "10%",
            ticks: { precision: 0 },
            title: { display: true, text: data.countAxis },
          },
          people: {
            type: "linear",
            position: "right",
            beginAtZero: true,
            grace: "10%",
            ticks: { precision: 0 },
            grid: { drawOnChartArea: false },
            title: { display: true, text: data.peopleAxis },
          },
        },
      },
    });
  }

  function popupContent(point, openLabel) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = point.name;
    box.appendChild(title);
    [point.kindLabel + " · " + point.statusLabel, point.town + " " + point.address].forEach(function (text) {
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = openLabel;
    box.appendChild(link);
    return box;
  }

  function stationMap(element, data) {
    var map = L.map(element, { scrollWheelZoom: false, attributionControl: false });
    var notice = document.getElementById("map-notice");
    var tiles = L.tileLayer(data.tileUrl, { minZoom: 3, maxZoom: 18 });
    var failed = false;
    tiles.on("tileerror", function () {
      if (failed) return;
      failed = true;
      element.classList.add("uh-map-offline");
      if (notice) {
        notice.textContent = data.tilesFailed;
        notice.classList.add("uh-shown");
      }
    });
    tiles.addTo(map);

    var markers = {};
    var bounds = [];
    data.points.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lng], {
        radius: 8,
        color: "#ffffff",
        weight: 2,
        fillColor: STATUS_COLOURS[point.status] || "#999",
        fillOpacity: 0.95,
        className: "uh-marker uh-marker-" + point.status,
      });
      marker.bindTooltip(point.name, { direction: "top", offset: [0, -6] });
      marker.bindPopup(popupContent(point, data.open));
      marker.addTo(map);
      markers[point.id] = marker;
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 14);
    } else if (bounds.length) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
    } else {
      map.setView([35.5, 112.5], 8);
    }
    element.setAttribute("data-markers", String(bounds.length));

    var list = document.getElementById("station-list");
    if (list) {
      var select = function (item) {
        var marker = markers[item.getAttribute("data-station")];
        if (!marker) return;
        list.querySelectorAll(".uh-active").forEach(function (other) { other.classList.remove("uh-active"); });
        item.classList.add("uh-active");
        map.setView(marker.getLatLng(), Math.max(map.getZoom(), 14));
        marker.openPopup();
      };
      list.addEventListener("click", function (event) {
        if (event.target.closest("a")) return; // the station name opens the record
        var item = event.target.closest("li.uh-has-point");
        if (item) select(item);
      });
      list.addEventListener("keydown", function (event) {
        var item = event.target.closest("li.uh-has-point");
        if (item && (event.key === "Enter" || event.key === " ")) {
          event.preventDefault();
          select(item);
        }
      });
    }
    return map;
  }

  function yearSelector() {
    var form = document.getElementById("year-form");
    var select = document.getElementById("dash-year");
    var button = document.getElementById("year-submit");
    if (!form || !select) return;
    if (button) button.hidden = true;
    select.addEventListener("change", function () {
      var url = new URL(window.location.href);
      url.searchParams.set("year", select.value);
      url.hash = "targets";
      window.location.assign(url.toString());
    });
  }

  function applicationChart(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.label, data: data.data, backgroundColor: "rgba(59, 125, 216, 0.75)", maxBarThickness: 18 },
        ],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  // Hardship assistance: households by layer and by cause (bars), amounts per programme per quarter (stacked).
  var HARDSHIP_COLOURS = ["#3b7dd8", "#2e9d57", "#d97a00", "#7a3b3b", "#8c96a3", "#9b59b6"];

  function countChart(canvas, data, label) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: label, data: data.data, backgroundColor: "rgba(59, 125, 216, 0.75)", maxBarThickness: 28 }],
      },
      options: {
        indexAxis: "y",
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { grid: { display: false } } },
      },
    });
  }

  function quarterChart(canvas, data) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (set, i) {
          return {
            label: set.label,
            data: set.data,
            backgroundColor: HARDSHIP_COLOURS[i % HARDSHIP_COLOURS.length],
            maxBarThickness: 48,
          };
        }),
      },
      options: {
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: {
          x: { stacked: true, grid: { display: false } },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: data.yLabel } },
        },
      },
    });
  }

  function hardshipCharts(data) {
    var layers = document.getElementById("chart-hardship-layers");
    var causes = document.getElementById("chart-hardship-causes");
    var quarters = document.getElementById("chart-hardship-quarters");
    if (layers) countChart(layers, data.layers, data.householdsLabel);
    if (causes) countChart(causes, data.causes, data.householdsLabel);
    if (quarters) quarterChart(quarters, data.quarters);
  }

  function start() {
    yearSelector();
    var charts = readJSON("dashboard-charts");
    if (charts && window.Chart) {
      configureCharts();
      var kinds = document.getElementById("chart-kinds");
      var monthly = document.getElementById("chart-monthly");
      if (kinds) kindChart(kinds, charts.kinds);
      if (monthly) monthlyChart(monthly, charts.monthly);
      var applications = document.getElementById("chart-applications");
      if (applications && charts.applications) applicationChart(applications, charts.applications);
      if (charts.hardship) hardshipCharts(charts.hardship);
    }
    var mapData = readJSON("dashboard-map-data");
    var mapElement = document.getElementById("dashboard-map");
    if (mapData && mapElement && window.L) stationMap(mapElement, mapData);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
