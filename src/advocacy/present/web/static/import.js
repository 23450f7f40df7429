// The Import page's forms, sent with XMLHttpRequest so the upload's progress shows; the answer
// (the next page, rendered by the server) then replaces this one. Without this script the forms
// post as plain forms.
"use strict";
document.querySelectorAll("form.upload").forEach((form) => {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const box = form.querySelector(".upload-progress");
    const bar = box.querySelector("progress");
    const status = box.querySelector("[role=status]");
    const button = form.querySelector("button[type=submit]");
    box.hidden = false;
    button.disabled = true;
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", (progress) => {
      if (progress.lengthComputable) {
        bar.value = Math.round((100 * progress.loaded) / progress.total);
        status.textContent = `uploading: ${bar.value}%`;
      }
    });
    request.upload.addEventListener("load", () => {
      bar.removeAttribute("value"); // indeterminate while the server works
      status.textContent = `${status.dataset.working}…`;
    });
    request.addEventListener("load", () => {
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", () => {
      box.hidden = true;
      button.disabled = false;
      status.textContent = "";
      window.alert("The upload failed: the server could not be reached. Try again.");
    });
    request.send(new FormData(form));
  });
});
