// Marks that scripts run, before the first paint: geolocation and the map are shown only then.
// A file, not an inline script, so that the Content-Security-Policy can forbid inline scripts.
document.documentElement.classList.add("js");
