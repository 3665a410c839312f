// Loaded synchronously at the top of <body> (instead of the official inline snippet) so the
// Content-Security-Policy needs no inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
