// Session timeout warning and form drafts, so nobody loses what they typed when their session
// ends. Progressive enhancement: without JavaScript the server still times sessions out.

const WARN_BEFORE_SECONDS = 300;

function startTimeoutWarning(body) {
  const seconds = Number(body.dataset.sessionSeconds || 0);
  const dialog = document.getElementById("ft-timeout-dialog");
  if (!seconds || !dialog || typeof dialog.showModal !== "function") return;
  let warnTimer;
  let expireTimer;
  const schedule = (total) => {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    warnTimer = setTimeout(() => dialog.showModal(), Math.max(total - WARN_BEFORE_SECONDS, 0) * 1000);
    expireTimer = setTimeout(() => {
      window.location.href = "/sign-in/?next=" + encodeURIComponent(window.location.pathname);
    }, total * 1000);
  };
  dialog.querySelector("[data-stay-signed-in]").addEventListener("click", async () => {
    const token = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
    const response = await fetch(dialog.dataset.keepaliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
    });
    if (response.ok) {
      const data = await response.json();
      schedule(Number(data.expires_in || seconds));
    }
    dialog.close();
  });
  schedule(seconds);
}

function keepDrafts() {
  for (const form of document.querySelectorAll("form[data-draft]")) {
    const key = "followthrough-draft:" + window.location.pathname;
    const fields = () =>
      Array.from(form.querySelectorAll("textarea, input[type=text], input[type=url]")).filter(
        (field) => field.name && !field.closest("[data-no-draft]"),
      );
    const saved = JSON.parse(window.sessionStorage.getItem(key) || "null");
    const untouched = fields().every((field) => !field.value || field.defaultValue === field.value);
    if (saved && untouched && !form.querySelector(".govuk-error-message")) {
      let restored = false;
      for (const field of fields()) {
        if (saved[field.name] && !field.value) {
          field.value = saved[field.name];
          restored = true;
        }
      }
      const notice = document.getElementById("ft-draft-restored");
      if (restored && notice) notice.hidden = false;
    }
    form.addEventListener("input", () => {
      const values = {};
      for (const field of fields()) values[field.name] = field.value;
      window.sessionStorage.setItem(key, JSON.stringify(values));
    });
    // Keep the draft until the service confirms the submission (a success banner): a post that
    // bounced off an ended session must still find its text when the person signs back in.
    form.addEventListener("submit", () => window.sessionStorage.setItem(PENDING, key));
  }
}

const PENDING = "followthrough-draft-pending";

function forgetConfirmedDraft() {
  const pending = window.sessionStorage.getItem(PENDING);
  if (pending && document.querySelector(".govuk-notification-banner--success")) {
    window.sessionStorage.removeItem(pending);
    window.sessionStorage.removeItem(PENDING);
  }
}

startTimeoutWarning(document.body);
forgetConfirmedDraft();
keepDrafts();
