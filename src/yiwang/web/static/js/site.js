// Move focus to the error summary so keyboard and screen-reader users start at the problem.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
});

// Print buttons stay hidden without JavaScript; the browser's own print works there.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});

// An autosave swaps in each field's findings; the field's control then says whether it is
// invalid, as the page did when it was drawn.
document.addEventListener("htmx:oobAfterSwap", function (event) {
  var box = event.target;
  if (!box.classList || !box.classList.contains("findings")) { return; }
  var bad = box.querySelector(".finding-block") !== null;
  document.querySelectorAll('[aria-describedby="' + box.id + '"]').forEach(function (control) {
    if (!/^(INPUT|TEXTAREA|SELECT)$/.test(control.tagName)) { return; }
    if (bad) { control.setAttribute("aria-invalid", "true"); } else { control.removeAttribute("aria-invalid"); }
  });
});
