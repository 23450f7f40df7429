// The Import page's forms, sent with XMLHttpRequest so the upload's progress shows; the page the
// server answers with then takes the place of this one's <main> (its forms bound again). Without
// this script the forms post as plain forms.
"use strict";

function sendWithProgress(form) {
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
    // Parsed, not written: no script of the answer runs, and this page's scripts stay as they are.
    const next = new DOMParser().parseFromString(request.responseText, "text/html");
    const main = next.querySelector("main");
    if (!main) {
      window.location.assign(request.responseURL || form.action);
      return;
    }
    document.title = next.title;
    document.querySelector("main").replaceWith(document.adoptNode(main));
    bindUploads(document.querySelector("main"));
    window.scrollTo(0, 0);
  });
  request.addEventListener("error", () => {
    bar.hidden = true;
    button.disabled = false;
    status.textContent = "the upload failed: the server could not be reached; try again";
  });
  request.send(new FormData(form));
}

function bindUploads(root) {
  root.querySelectorAll("form.upload").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      sendWithProgress(form);
    });
  });
}

bindUploads(document);
