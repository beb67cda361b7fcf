/* "Characters left" under a text box with a maxlength. The help text already
   names the limit, so without JavaScript nothing is missing; with it, the
   element named by the box's data-counter shows what is left, and screen
   readers hear it politely (aria-live="polite" on that element). */
document.querySelectorAll("textarea[data-counter], input[data-counter]").forEach(function (box) {
  var counter = document.getElementById(box.dataset.counter);
  var limit = parseInt(box.getAttribute("maxlength"), 10);
  if (!counter || !limit) {
    return;
  }
  var words = counter.dataset.left;
  function update() {
    var left = limit - box.value.length;
    counter.textContent = words.replace("{n}", String(left < 0 ? 0 : left));
  }
  counter.hidden = false;
  update();
  box.addEventListener("input", update);
});

/* A file larger than the request cap would be refused before anything of the
   form is read, and with it what was typed. The input's data-max-bytes names
   the cap: a larger file is taken off the input at once, with the message of
   data-too-large beside it (the server says the same without JavaScript). */
document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
  var max = parseInt(input.dataset.maxBytes, 10);
  var note = document.createElement("div");
  note.className = "invalid-feedback d-block";
  note.id = input.id + "-size";
  note.setAttribute("aria-live", "polite");
  input.insertAdjacentElement("afterend", note);
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (file && file.size > max) {
      note.textContent = input.dataset.tooLarge;
      input.value = "";
      input.setAttribute("aria-invalid", "true");
    } else {
      note.textContent = "";
      input.removeAttribute("aria-invalid");
    }
  });
});
