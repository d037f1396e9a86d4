// django-celery-beat's crontab help ("Translation: every day at ..."), moved out of an inline script.
(function ($) {
  var readableCrontabs = JSON.parse($("#readable-crontabs").text());
  var originalCrontabHelp = $("#periodic-task-help").data("help") || "";
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    var additional = readableCrontabs[$("#id_crontab").val()];
    $(".field-crontab .help").text(originalCrontabHelp).append($("<br>"), document.createTextNode("Translation: " + additional));
  });
})(django.jQuery);
