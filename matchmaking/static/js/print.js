/* A "Print" button for pages with a print stylesheet. The button is hidden
   until this script shows it, so nobody without JavaScript gets a dead button. */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
