// Move focus to the error summary so keyboard and screen-reader users start at the problem.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
});
