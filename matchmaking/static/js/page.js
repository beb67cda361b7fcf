/* Every page, deferred (script-src 'self': no inline scripts). Without
   JavaScript css/no-script.css keeps the menu open instead.
   1. A wide table scrolls inside its own box on a narrow screen: that box
      then takes keyboard focus, so it can be scrolled with the arrow keys,
      and is named after the table's caption (WCAG 2.1.1): a group, not a
      region, so it adds no landmark beside the section holding it. A box
      that fits gets no extra tab stop. */
(function () {
  function label(box) {
    var caption = box.querySelector("caption");
    return caption ? caption.textContent.trim() : "";
  }
  function update() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "group");
        if (label(box)) box.setAttribute("aria-label", label(box));
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  update();
  window.addEventListener("resize", update);
})();

/* 2. Filters folded behind a <details> on a phone are open on a wide screen. */
if (window.matchMedia("(min-width: 992px)").matches) {
  document.querySelectorAll("details[data-open-wide]").forEach(function (d) {
    d.open = true;
  });
}
