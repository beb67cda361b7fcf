/* Loaded in <head> on every page (script-src 'self': no inline scripts).
   1. Marks the page as having JavaScript before it is drawn. Without it the
      menu stays open and its "Menu" button hidden (app.css), so a browser
      without scripts still reaches every link.
   2. A wide table scrolls inside its own box on a narrow screen: that box
      then takes keyboard focus, so it can be scrolled with the arrow keys,
      and is named after the table's caption (WCAG 2.1.1): a group, not a
      region, so it adds no landmark beside the section holding it. A box
      that fits gets no extra tab stop. */
document.documentElement.classList.add("js");

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
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
})();

/* 3. Filters folded behind a <details> on a phone are open on a wide screen. */
document.addEventListener("DOMContentLoaded", function () {
  if (window.matchMedia("(min-width: 992px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (d) {
      d.open = true;
    });
  }
});
