// Security keys (WebAuthn), as progressive enhancement.
//
// A form marked data-webauthn="register" or "authenticate" holds a hidden
// "credential" input, a hidden [data-webauthn-available] block with the
// button, a [data-webauthn-unsupported] note and a [data-webauthn-error]
// message. Where the browser has WebAuthn, the block is shown and the note
// hidden. The button asks the options URL (a JSON POST carrying the form's
// CSRF token) for a challenge, calls the WebAuthn API, puts the answer in the
// hidden input as JSON and submits the form; the server does the rest.
// Without JavaScript or WebAuthn nothing here runs and the page's other way
// in (a code) stays as it is.
//
// The step-up puts the same parts on a block *inside* an action's own form
// (data-webauthn on a div, data-webauthn-input naming its hidden input): the
// button then submits the whole form, so the user's other input goes with the
// key's answer; the form's own submit button is left alone (it sends a code).

const toBytes = (value) => {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "===".slice((base64.length + 3) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
};

const toBase64url = (buffer) => {
  let text = "";
  for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const descriptors = (list) =>
  (list || []).map((item) => ({ ...item, id: toBytes(item.id) }));

const creationOptions = (options) => ({
  ...options,
  challenge: toBytes(options.challenge),
  user: { ...options.user, id: toBytes(options.user.id) },
  excludeCredentials: descriptors(options.excludeCredentials),
});

const requestOptions = (options) => ({
  ...options,
  challenge: toBytes(options.challenge),
  allowCredentials: descriptors(options.allowCredentials),
});

const registrationJSON = (credential) => ({
  id: credential.id,
  rawId: toBase64url(credential.rawId),
  type: credential.type,
  authenticatorAttachment: credential.authenticatorAttachment || undefined,
  clientExtensionResults: credential.getClientExtensionResults(),
  response: {
    clientDataJSON: toBase64url(credential.response.clientDataJSON),
    attestationObject: toBase64url(credential.response.attestationObject),
    transports: credential.response.getTransports
      ? credential.response.getTransports()
      : [],
  },
});

const assertionJSON = (credential) => ({
  id: credential.id,
  rawId: toBase64url(credential.rawId),
  type: credential.type,
  authenticatorAttachment: credential.authenticatorAttachment || undefined,
  clientExtensionResults: credential.getClientExtensionResults(),
  response: {
    clientDataJSON: toBase64url(credential.response.clientDataJSON),
    authenticatorData: toBase64url(credential.response.authenticatorData),
    signature: toBase64url(credential.response.signature),
    userHandle: credential.response.userHandle
      ? toBase64url(credential.response.userHandle)
      : null,
  },
});

const optionsFrom = async (root, form) => {
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const response = await fetch(root.dataset.webauthnOptions, {
    method: "POST",
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRFToken": token },
  });
  if (response.redirected || !response.ok) {
    throw new Error("options");
  }
  return response.json();
};

const MESSAGES = {
  NotAllowedError:
    "Your security key was not used, or took too long. Try again.",
  InvalidStateError: "That security key is already registered.",
};
const FALLBACK = "Your security key could not be used. Try again.";

const run = async (root, form, input, button, error) => {
  const registering = root.dataset.webauthn === "register";
  const name = form.querySelector("input[name=name]");
  if (registering && name && name.value.trim() === "") {
    form.submit(); // the server asks for a name, in the usual way
    return;
  }
  button.disabled = true;
  error.hidden = true;
  try {
    const options = await optionsFrom(root, form);
    const answer = registering
      ? registrationJSON(
          await navigator.credentials.create({
            publicKey: creationOptions(options),
          }),
        )
      : assertionJSON(
          await navigator.credentials.get({
            publicKey: requestOptions(options),
          }),
        );
    input.value = JSON.stringify(answer);
    form.submit();
  } catch (problem) {
    error.querySelector("[data-webauthn-error-text]").textContent =
      MESSAGES[problem.name] || FALLBACK;
    error.hidden = false;
    button.disabled = false;
    button.focus();
  }
};

if (window.PublicKeyCredential) {
  for (const root of document.querySelectorAll("[data-webauthn]")) {
    const form = root.closest("form");
    const input = form.querySelector(
      `input[name="${root.dataset.webauthnInput || "credential"}"]`,
    );
    const button = root.querySelector("[data-webauthn-start]");
    const error = root.querySelector("[data-webauthn-error]");
    // An answer is good once: never send one back from a page shown again.
    input.value = "";
    root.querySelector("[data-webauthn-available]").hidden = false;
    const note = root.querySelector("[data-webauthn-unsupported]");
    if (note) note.hidden = true;
    button.addEventListener("click", () => run(root, form, input, button, error));
    if (root === form) {
      form.addEventListener("submit", (event) => {
        // Enter in the name field starts the key, as the button would.
        if (input.value === "") {
          event.preventDefault();
          run(root, form, input, button, error);
        }
      });
    }
  }
}
